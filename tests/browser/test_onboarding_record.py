"""The onthaal record pages in a browser, on a desktop and a phone: the catalogue, a newcomer's
record, signing, the register, the newcomer's and the peter's confirmations and compliance."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from leerplek.core.roles import Role
from leerplek.onboarding import services_record
from leerplek.onboarding.models import GivenInstruction, Onboarding
from tests.browser.conftest import no_horizontal_scroll, screenshot, serious_axe_violations
from tests.factories import Cast
from tests.onboarding.factories import colleague, designate
from tests.onboarding.factories_record import (
    acting,
    catalogue,
    confirm_all,
    give,
    instruction,
    newcomer_record,
    signed,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def filled_record(cast: Cast) -> Onboarding:
    """The worker with a peter and a backup, three instructions given (two confirmed), one still
    to give, the prevention adviser's proposals and a signed first version."""
    plan = newcomer_record(cast)
    designate(cast, plan, colleague(cast, first_name="Bart", last_name="Backx"), is_backup=True)
    everybody, counsellor, gloves, _ = catalogue(cast)
    rows = give(cast, plan, [everybody, gloves])
    confirm_all(cast, rows[:1])
    services_record.instructions_give(
        onboarding=plan,
        instructions=[counsellor],
        given_on=plan.start_date,
        given_by=cast.employees[Role.HR],
        by=acting(cast, Role.HR),
    )
    services_record.proposals_save(
        onboarding=plan,
        text="Hearing protection at the filling line.\nForklift instruction before week 3.",
        by=acting(cast, Role.PREVENTION_ADVISER),
    )
    signed(cast, plan)
    instruction(cast, "First aid kit and first aiders")  # added to the catalogue later
    return plan


def look(page_for: Any, user: Any, url: str, name: str) -> list[Any]:
    pages = []
    for phone in (False, True):
        page = page_for(user, phone=phone)
        page.goto(url)
        screenshot(page, f"{name}-{'phone' if phone else 'desktop'}")
        assert page.errors == [], page.errors
        assert serious_axe_violations(page) == [], name
        if phone:
            assert no_horizontal_scroll(page), name
        pages.append(page)
    return pages


def test_the_catalogue_and_its_form(cast: Cast, page_for: Any, live_server: Any) -> None:
    catalogue(cast)
    hr = cast.user(Role.HR)
    desktop, _ = look(
        page_for, hr, live_server.url + reverse("onboarding:instruction-list"), "record-catalogue"
    )
    assert desktop.get_by_role("cell", name="everybody").count() == 2
    look(
        page_for,
        hr,
        live_server.url + reverse("onboarding:instruction-create"),
        "record-instruction-form",
    )


def test_the_record_page_and_giving_instructions(
    cast: Cast, page_for: Any, live_server: Any
) -> None:
    plan = filled_record(cast)
    hr = cast.user(Role.HR)
    desktop, _ = look(
        page_for,
        hr,
        live_server.url + reverse("onboarding:record-detail", args=[plan.pk]),
        "record-detail",
    )
    expect(desktop.get_by_text("not yet given")).to_be_visible()
    expect(desktop.get_by_role("button", name="Sign a correction")).to_be_visible()
    look(
        page_for,
        hr,
        live_server.url + reverse("onboarding:instruction-give", args=[plan.pk]),
        "record-give",
    )
    look(
        page_for,
        cast.user(Role.PREVENTION_ADVISER),
        live_server.url + reverse("onboarding:proposals-edit", args=[plan.pk]),
        "record-proposals",
    )


def test_signing_a_correction(cast: Cast, page_for: Any, live_server: Any) -> None:
    plan = filled_record(cast)
    url = live_server.url + reverse("onboarding:document-sign", args=[plan.pk])
    desktop, _ = look(page_for, cast.user(Role.HR), url, "record-sign")
    desktop.get_by_label("I have read the document and sign it for the employer.").check()
    desktop.get_by_role("button", name="Sign the correction").click()
    expect(desktop.get_by_text("Describe what this new version corrects.")).to_be_visible()
    desktop.get_by_label("What this version corrects").fill("The backup was added.")
    desktop.get_by_label("I have read the document and sign it for the employer.").check()
    desktop.get_by_role("button", name="Sign the correction").click()
    desktop.wait_for_url("**/record/")
    expect(
        desktop.get_by_text("Version 2 of the onthaal document is signed and stored.")
    ).to_be_visible()
    screenshot(desktop, "record-detail-after-correction-desktop")


def test_the_register(cast: Cast, page_for: Any, live_server: Any) -> None:
    plan = filled_record(cast)
    signed(cast, plan, correction="The backup was added.")
    desktop, _ = look(
        page_for,
        cast.user(Role.PREVENTION_ADVISER),
        live_server.url + reverse("onboarding:register"),
        "record-register",
    )
    assert desktop.get_by_text("newest", exact=True).count() == 1


def test_the_newcomer_confirms_in_place_on_his_phone(
    cast: Cast, page_for: Any, live_server: Any
) -> None:
    plan = filled_record(cast)
    phone = page_for(cast.user(Role.EMPLOYEE), phone=True)
    phone.goto(live_server.url + reverse("onboarding:mine"))
    phone.evaluate("window.notReloaded = true")
    button = phone.get_by_role(
        "button", name="I understood this Cut-resistant gloves at the slicer"
    )
    box = button.bounding_box()
    assert box is not None
    assert box["height"] >= 44
    screenshot(phone, "record-mine-phone")
    assert serious_axe_violations(phone) == []
    assert no_horizontal_scroll(phone)
    button.click()
    phone.get_by_text("You confirmed on").nth(1).wait_for()
    assert phone.evaluate("window.notReloaded") is True
    row = GivenInstruction.objects.get(onboarding=plan, title="Cut-resistant gloves at the slicer")
    assert row.newcomer_confirmed_at is not None
    screenshot(phone, "record-mine-confirmed-phone")


def test_the_peter_confirms_on_the_onboarding_page(
    cast: Cast, page_for: Any, live_server: Any
) -> None:
    plan = filled_record(cast)
    desktop, _ = look(
        page_for,
        cast.user(Role.MENTOR),
        live_server.url + reverse("onboarding:onboarding-detail", args=[plan.pk]),
        "record-detail-part-peter",
    )
    desktop.get_by_role(
        "button", name="Understood, I checked it Cut-resistant gloves at the slicer"
    ).click()
    desktop.locator(".confirm-item.done").nth(1).wait_for()


def test_compliance_with_the_record_columns(cast: Cast, page_for: Any, live_server: Any) -> None:
    filled_record(cast)
    desktop, _ = look(
        page_for,
        cast.user(Role.PREVENTION_ADVISER),
        live_server.url + reverse("onboarding:compliance"),
        "record-compliance",
    )
    expect(
        desktop.get_by_role("heading", name="Safety instructions not yet given or confirmed")
    ).to_be_visible()
