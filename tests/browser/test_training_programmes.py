"""The programme builder in a real browser: HR builds a programme with a phase and a module,
the programme and its module in the 4-part structure on desktop and phone, and a second HR
colleague approves it."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from leerplek.core.roles import Role
from leerplek.training.models import Programme, VersionStatus
from tests.browser.conftest import no_horizontal_scroll, screenshot, serious_axe_violations
from tests.factories import Cast
from tests.training.factories_programmes import built_programme, second_hr

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hr_builds_a_programme_with_a_phase_and_a_module(
    cast: Cast, page_for: Any, live_server: Any
) -> None:
    desktop = page_for(cast.user(Role.HR))
    desktop.goto(live_server.url + reverse("training:programme-create"))
    desktop.get_by_label("Code").fill("OPS")
    desktop.get_by_label("Title").fill("Operator afvullijn")
    with desktop.expect_navigation():
        desktop.get_by_role("button", name="Create the programme").click()
    programme = Programme.objects.get(code="OPS")
    assert desktop.locator("h1").inner_text() == "Operator afvullijn"
    screenshot(desktop, "training-programme-new-desktop")
    desktop.get_by_role("button", name="Add the first phase").click()
    desktop.get_by_label("Title").fill("Eerste twee shiften")
    with desktop.expect_navigation():
        desktop.locator("main form button[type=submit]").first.click()
    desktop.get_by_role("link", name="Add a module").click()
    desktop.get_by_label("Title").fill("Saus afvullen")
    desktop.get_by_label("Kind").select_option("practical")
    with desktop.expect_navigation():
        desktop.locator("main form button[type=submit]").first.click()
    version = programme.versions.get()
    assert version.modules.get().title == "Saus afvullen"
    assert "Saus afvullen" in desktop.locator("h1").inner_text()
    assert desktop.errors == []


def test_the_programme_and_its_module_on_desktop_and_phone(
    cast: Cast, page_for: Any, live_server: Any
) -> None:
    version = built_programme(cast)
    url = live_server.url + reverse("training:programme-detail", args=[version.programme_id])
    desktop = page_for(cast.user(Role.HR))
    desktop.goto(url)
    assert desktop.locator("li.phase").count() == 3
    assert desktop.locator("li.module").count() == 4
    expect(desktop.get_by_text("Needs the attest of the previous phase")).to_be_visible()
    assert serious_axe_violations(desktop) == []
    screenshot(desktop, "training-programme-draft-desktop")
    module = version.modules.get(title="Saus afvullen")
    desktop.goto(live_server.url + reverse("training:module-detail", args=[module.pk]))
    assert desktop.locator("ol.four-parts > li").count() == 4
    expect(desktop.get_by_role("cell", name="De pomp ratelt", exact=True)).to_be_visible()
    assert serious_axe_violations(desktop) == []
    screenshot(desktop, "training-module-desktop")
    phone = page_for(cast.user(Role.HR), phone=True)
    phone.goto(live_server.url + reverse("training:module-detail", args=[module.pk]))
    assert no_horizontal_scroll(phone)
    screenshot(phone, "training-module-phone")
    phone.goto(url)
    assert no_horizontal_scroll(phone)
    screenshot(phone, "training-programme-draft-phone")
    assert desktop.errors == []
    assert phone.errors == []


def test_a_second_hr_colleague_approves_and_the_worker_reads_the_approved_version(
    cast: Cast, page_for: Any, live_server: Any
) -> None:
    from leerplek.training import services_programmes
    from tests.training.factories_programmes import acting

    version = built_programme(cast)
    services_programmes.version_submit(version=version, by=acting(cast, Role.HR))
    checker = second_hr(cast)
    desktop = page_for(checker)
    desktop.goto(live_server.url + reverse("training:version-approve", args=[version.pk]))
    screenshot(desktop, "training-version-approve-desktop")
    with desktop.expect_navigation():
        desktop.get_by_role("button", name="Approve").click()
    version.refresh_from_db()
    assert version.status == VersionStatus.APPROVED
    worker = page_for(cast.user(Role.EMPLOYEE), phone=True)
    worker.goto(live_server.url + reverse("training:programme-detail", args=[version.programme_id]))
    assert worker.locator("li.module").count() == 4
    assert worker.get_by_role("link", name="Edit the programme").count() == 0
    assert no_horizontal_scroll(worker)
    screenshot(worker, "training-programme-approved-phone")
