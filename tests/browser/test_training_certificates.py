"""Certificates in a real browser: HR's register with what expires soon, one attest, the public
verification page on a phone (no log-in), and the attest PDF drawn to a PNG to look at."""

from __future__ import annotations

import datetime
import shutil
import subprocess
from typing import Any
from urllib.request import urlopen

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from leerplek.core.roles import Role
from tests.browser.conftest import (
    SCREENSHOTS,
    no_horizontal_scroll,
    screenshot,
    serious_axe_violations,
)
from tests.factories import Cast
from tests.training.test_certificates_services import TODAY, attest, register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hr_reads_the_register_and_one_attest(cast: Cast, page_for: Any, live_server: Any) -> None:
    soon = attest(cast, issued_on=TODAY - datetime.timedelta(days=340))
    register(cast, title="VCA basis")
    register(cast, title="Diploma voeding", kind="diploma", expires_on=None)
    desktop = page_for(cast.user(Role.HR))
    desktop.goto(live_server.url + reverse("training:certificate-list"))
    expect(desktop.get_by_role("heading", name="Expires within 60 days")).to_be_visible()
    assert serious_axe_violations(desktop) == []
    screenshot(desktop, "training-certificates-list-desktop")
    phone = page_for(cast.user(Role.HR), phone=True)
    phone.goto(live_server.url + reverse("training:certificate-list"))
    assert no_horizontal_scroll(phone)
    screenshot(phone, "training-certificates-list-phone")
    phone.goto(live_server.url + reverse("training:certificate-detail", args=[soon.pk]))
    expect(phone.get_by_text(soon.code).first).to_be_visible()
    assert no_horizontal_scroll(phone)
    assert serious_axe_violations(phone) == []
    screenshot(phone, "training-certificates-detail-phone")
    assert desktop.errors == []
    assert phone.errors == []


def test_anyone_checks_a_code_on_a_phone(cast: Cast, page_for: Any, live_server: Any) -> None:
    certificate = attest(cast, issued_on=TODAY, months=36)
    phone = page_for(None, phone=True)
    phone.goto(live_server.url + reverse("training:certificate-verify-form"))
    phone.locator("main form input[name=code]").fill(certificate.code.lower())
    phone.locator("main form button").click()
    expect(phone.locator(".ct-verify dd").first).to_have_text("Wout Werker")
    assert no_horizontal_scroll(phone)
    assert serious_axe_violations(phone) == []
    screenshot(phone, "training-certificates-verify-phone")
    body = phone.content()
    assert cast.organisation.name not in body
    assert phone.errors == []


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) missing")
def test_the_attest_pdf_draws_cleanly(cast: Cast, live_server: Any, client: Any) -> None:
    certificate = attest(cast, issued_on=TODAY, months=24)
    client.force_login(cast.user(Role.HR))
    response = client.get(reverse("training:certificate-file", args=[certificate.pk]))
    assert response.content.startswith(b"%PDF")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf = SCREENSHOTS / "training-certificates-attest.pdf"
    pdf.write_bytes(response.content)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf), str(pdf.with_suffix(""))],
        check=True,
    )
    png = pdf.with_suffix(".png")
    assert png.stat().st_size > 5000
    # The QR code points to the public page, which answers without a log-in.
    verify = reverse("training:certificate-verify", args=[certificate.code])
    with urlopen(live_server.url + verify) as page:
        assert certificate.employee.last_name in page.read().decode()
