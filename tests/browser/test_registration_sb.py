"""The social-balance worksheet in a real browser: HR on a desktop opens a figure to its records,
enters a wrong staff cost, closes the year; the works council reads the figures on a 390 px
phone without links; the PDF worksheet drawn to a PNG to look at."""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from leerplek.core.roles import Role
from leerplek.registration.models import FinancialYear
from tests.browser.conftest import (
    SCREENSHOTS,
    no_horizontal_scroll,
    screenshot,
    serious_axe_violations,
)
from tests.factories import Cast
from tests.registration.factories_sb import sb_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def worksheet(live_server: Any, year: int = 2025) -> str:
    return f"{live_server.url}{reverse('registration:social-balance')}?year={year}"


def test_hr_opens_a_figure_and_closes_the_year(cast: Cast, page_for: Any, live_server: Any) -> None:
    sb_world(cast)
    desktop = page_for(cast.user(Role.HR))
    desktop.goto(worksheet(live_server))
    expect(
        desktop.get_by_role("heading", name="Initial vocational training", exact=False)
    ).to_be_visible()
    expect(desktop.get_by_text("Left out of these figures")).to_be_visible()
    assert serious_axe_violations(desktop) == []
    screenshot(desktop, "registration-sb-worksheet-desktop")

    desktop.get_by_role("link", name="2: the records behind code 5811").click()
    expect(desktop.get_by_role("cell", name="Dina Test")).to_be_visible()
    assert serious_axe_violations(desktop) == []
    screenshot(desktop, "registration-sb-records-people-desktop")

    desktop.goto(worksheet(live_server))
    desktop.get_by_role("link", name="616.43: the records behind code 58132").click()
    expect(
        desktop.get_by_role("heading", name="Contributions paid at company level")
    ).to_be_visible()
    assert serious_axe_violations(desktop) == []
    screenshot(desktop, "registration-sb-records-costs-desktop")

    desktop.goto(worksheet(live_server))
    desktop.locator("input[name=staff_cost_men]").fill("veel")
    desktop.locator("input[name=staff_cost_women]").fill("100000")
    desktop.get_by_role("button", name="Save the staff costs").click()
    expect(desktop.get_by_text("Enter the staff cost in euro as a number")).to_be_visible()
    screenshot(desktop, "registration-sb-staff-cost-error-desktop")

    desktop.goto(worksheet(live_server))
    desktop.get_by_role("button", name="Close 2025 and freeze its figures").click()
    expect(desktop.get_by_text("Closed: figures frozen").first).to_be_visible()
    expect(desktop.get_by_role("button", name="Reopen the year")).to_be_visible()
    assert FinancialYear.objects.get(end_date__year=2025).is_closed
    assert serious_axe_violations(desktop) == []
    screenshot(desktop, "registration-sb-closed-desktop")
    # The refused staff cost answered 422, which the console reports; nothing else went wrong.
    assert [error for error in desktop.errors if "422" not in error] == []


def test_the_works_council_reads_the_figures_on_a_phone(
    cast: Cast, page_for: Any, live_server: Any
) -> None:
    sb_world(cast)
    phone = page_for(cast.user(Role.CONSULTATION), phone=True)
    phone.goto(worksheet(live_server))
    expect(phone.get_by_text("1218.57").first).to_be_visible()
    assert phone.locator("a[href*='/social-balance/2025/figures/']").count() == 0
    assert phone.get_by_role("button", name="Close 2025 and freeze its figures").count() == 0
    assert no_horizontal_scroll(phone)
    assert serious_axe_violations(phone) == []
    screenshot(phone, "registration-sb-worksheet-phone")
    assert phone.errors == []


def test_hr_on_a_phone_opens_the_records(cast: Cast, page_for: Any, live_server: Any) -> None:
    sb_world(cast)
    phone = page_for(cast.user(Role.HR), phone=True)
    phone.goto(worksheet(live_server))
    assert no_horizontal_scroll(phone)
    screenshot(phone, "registration-sb-worksheet-hr-phone")
    phone.get_by_role("link", name="1210.00: the records behind code 58131").click()
    expect(phone.get_by_text("Brandbestrijding").first).to_be_visible()
    assert no_horizontal_scroll(phone)
    assert serious_axe_violations(phone) == []
    screenshot(phone, "registration-sb-records-phone")
    assert phone.errors == []


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) missing")
def test_the_pdf_worksheet_draws_cleanly(cast: Cast, client: Any) -> None:
    sb_world(cast)
    client.force_login(cast.user(Role.HR))
    response = client.get(reverse("registration:sb-export", args=[2025, "pdf"]))
    assert response.content.startswith(b"%PDF")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf = SCREENSHOTS / "registration-sb-worksheet.pdf"
    pdf.write_bytes(response.content)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-singlefile", str(pdf), str(pdf.with_suffix(""))],
        check=True,
    )
    assert pdf.with_suffix(".png").stat().st_size > 10000


def test_hr_enters_a_fund_contribution_on_desktop_and_phone(
    cast: Cast, page_for: Any, live_server: Any
) -> None:
    from leerplek.registration.models import CompanyContribution

    sb_world(cast)
    before = CompanyContribution.objects.count()
    desktop = page_for(cast.user(Role.HR))
    desktop.goto(worksheet(live_server))
    desktop.get_by_role(
        "link", name="Contributions to collective funds paid at company level"
    ).click()
    expect(desktop.locator("h1")).to_have_text("Contributions to collective funds")
    desktop.get_by_label("Paid on").fill("2025-09-30")
    desktop.locator("#contribution_fund").fill("Alimento")
    desktop.get_by_label("Amount (EUR)").fill("twaalf")
    desktop.get_by_role("button", name="Add the payment").click()
    expect(desktop.get_by_text("The amount must be a number.")).to_be_visible()
    expect(desktop.locator("#contribution_fund")).to_have_value("Alimento")
    assert CompanyContribution.objects.count() == before
    assert serious_axe_violations(desktop) == []
    assert no_horizontal_scroll(desktop)
    screenshot(desktop, "registration-sb-contributions-error")
    desktop.get_by_label("Amount (EUR)").fill("1250.75")
    desktop.get_by_role("button", name="Add the payment").click()
    expect(
        desktop.get_by_text("The payment of 1250.75 euro to Alimento was added.")
    ).to_be_visible()
    expect(desktop.get_by_role("cell", name="€ 1250.75")).to_be_visible()
    screenshot(desktop, "registration-sb-contributions-desktop")
    phone = page_for(cast.user(Role.HR), phone=True)
    phone.goto(desktop.url)
    expect(phone.get_by_text("Alimento").first).to_be_visible()
    assert no_horizontal_scroll(phone)
    screenshot(phone, "registration-sb-contributions-phone")
    phone.get_by_role("button", name="Remove Alimento 30/09/2025").click()
    expect(
        phone.get_by_text("The payment of 1250.75 euro to Alimento was removed.")
    ).to_be_visible()
    assert CompanyContribution.objects.count() == before
