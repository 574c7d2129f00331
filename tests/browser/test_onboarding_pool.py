"""The peter/meter pool pages with real content, on a desktop and a 390 px phone: the pool with
its coverage warning, a candidate's checks, the qualities form, the criteria, the home card and
the peter's photo on the newcomer's page."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from leerplek.core.roles import Role
from leerplek.onboarding import services_pool
from leerplek.onboarding.models import EligibilityCriterion, GuideProfile
from leerplek.people.models import Employee, UnitKind
from tests.browser.conftest import no_horizontal_scroll, screenshot, serious_axe_violations
from tests.factories import Cast, EmployeeFactory, make_unit
from tests.onboarding.factories import designate, start, templates
from tests.onboarding.factories_pool import acting, approved, defaults, propose, senior, train

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A 2x2 PNG (red), small enough to inline.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000002000000020802000000fdd49a73"
    "0000001049444154789c633811a001440c100a00258e0501a93371c80000000049"
    "454e44ae426082"
)


def pool_scene(cast: Cast) -> dict[str, Any]:
    """Three shifts in packaging; two peters (one full, one trained with a reduced load), one
    exception, and two candidates: one waiting for the qualities, one with a quality not met."""
    templates(cast)
    defaults(cast)
    hr = acting(cast, Role.HR)
    early = make_unit(cast.organisation, "Vroege ploeg", parent=cast.packaging, kind=UnitKind.SHIFT)
    late = make_unit(cast.organisation, "Late ploeg", parent=cast.packaging, kind=UnitKind.SHIFT)
    night = make_unit(cast.organisation, "Nachtploeg", parent=cast.packaging, kind=UnitKind.SHIFT)
    for unit in (early, late, night):
        for _ in range(3):
            EmployeeFactory(organisation=cast.organisation, unit=unit)
    marleen = approved(
        cast, senior(cast, unit=early, first_name="Marleen", last_name="Vandenbroucke")
    )
    services_pool.guide_profile_update(
        profile=marleen, by=hr, max_mentees=2, load_unit="lines", normal_load=6, reduced_load=4
    )
    train(cast, marleen, timezone.localdate() - datetime.timedelta(days=200))
    services_pool.guide_photo_set(
        profile=marleen, by=hr, photo=SimpleUploadedFile("marleen.png", PNG)
    )
    jan = approved(
        cast,
        senior(cast, unit=late, first_name="Jan", last_name="Peeters", experience_years=Decimal(6)),
    )
    services_pool.guide_profile_update(profile=jan, by=hr, max_mentees=1)
    train(cast, jan, datetime.date(2021, 3, 1))
    designate(
        cast, start(cast, EmployeeFactory(organisation=cast.organisation, unit=late)), jan.employee
    )
    waiting = propose(
        cast,
        senior(
            cast,
            unit=night,
            first_name="Sofie",
            last_name="Claes",
            hire_date=datetime.date(2023, 2, 6),
        ),
        motivation="Explains calmly and knows every format change on line 3.",
    )
    doubtful = propose(cast, senior(cast, unit=night, first_name="Koen", last_name="Maes"))
    services_pool.quality_confirm(
        profile=doubtful,
        criterion=EligibilityCriterion.objects.get(name="Patience"),
        is_met=False,
        note="Takes over the machine instead of explaining.",
        by=acting(cast, Role.MANAGER),
    )
    services_pool.quality_confirm(
        profile=doubtful,
        criterion=EligibilityCriterion.objects.get(name="Communication"),
        is_met=True,
        by=acting(cast, Role.MANAGER),
    )
    return {"marleen": marleen, "jan": jan, "waiting": waiting, "doubtful": doubtful}


def look(page: Any, name: str) -> None:
    screenshot(page, name)
    assert no_horizontal_scroll(page), name
    assert serious_axe_violations(page) == [], name


def test_the_pool_page_on_a_desktop_and_a_phone(
    cast: Cast, page_for: Any, live_server: Any
) -> None:
    pool_scene(cast)
    url = live_server.url + reverse("onboarding:pool")
    desktop = page_for(cast.user(Role.HR))
    desktop.goto(url)
    expect(desktop.get_by_role("heading", name="Peter/meter pool")).to_be_visible()
    warning = desktop.locator(".pool-warning")
    assert "Nachtploeg" in warning.inner_text()
    assert "Late ploeg" in warning.inner_text()  # his only peter is full
    assert "6 lines → 4 lines" in desktop.locator(".pool-members").inner_text()
    assert "refresher due" in desktop.locator(".pool-members").inner_text()
    look(desktop, "onboarding-pool-desktop")
    phone = page_for(cast.user(Role.HR), phone=True)
    phone.goto(url)
    look(phone, "onboarding-pool-phone")


def test_a_candidates_page_explains_each_criterion(
    cast: Cast, page_for: Any, live_server: Any
) -> None:
    scene = pool_scene(cast)
    url = live_server.url + reverse("onboarding:pool-profile", args=[scene["doubtful"].pk])
    desktop = page_for(cast.user(Role.HR))
    desktop.goto(url)
    checks = desktop.locator(".pool-checks").inner_text()
    assert "12.0 years of experience, needs 10" in checks
    assert "Takes over the machine instead of explaining." in checks
    look(desktop, "onboarding-pool-candidate-desktop")
    phone = page_for(cast.user(Role.HR), phone=True)
    phone.goto(url)
    look(phone, "onboarding-pool-candidate-phone")
    member = page_for(cast.user(Role.HR))
    member.goto(live_server.url + reverse("onboarding:pool-profile", args=[scene["marleen"].pk]))
    member.wait_for_load_state("load")
    assert member.locator("img.pool-photo").evaluate("img => img.naturalWidth") == 2
    look(member, "onboarding-pool-member-desktop")


def test_the_manager_confirms_qualities_on_a_phone(
    cast: Cast, page_for: Any, live_server: Any
) -> None:
    scene = pool_scene(cast)
    phone = page_for(cast.user(Role.MANAGER), phone=True)
    phone.goto(live_server.url + reverse("onboarding:pool-qualities", args=[scene["waiting"].pk]))
    look(phone, "onboarding-pool-qualities-phone")
    patience = phone.get_by_role("group", name="Patience")
    patience.get_by_label("Not met").check()
    phone.get_by_role("button", name="Save the qualities").click()
    assert "Say why Patience is not met" in phone.locator(".form-errors").inner_text()
    look(phone, "onboarding-pool-qualities-error-phone")
    phone.get_by_label("Note on Patience").fill("Still learning the new line himself.")
    phone.get_by_role("button", name="Save the qualities").click()
    phone.wait_for_url("**/pool/*/")
    assert "Still learning the new line himself." in phone.locator(".pool-checks").inner_text()


def test_the_approval_with_an_exception(cast: Cast, page_for: Any, live_server: Any) -> None:
    scene = pool_scene(cast)
    page = page_for(cast.user(Role.HR))
    page.goto(live_server.url + reverse("onboarding:pool-approve", args=[scene["doubtful"].pk]))
    page.get_by_role("button", name="Take into the pool").click()
    error = page.locator(".field-error").inner_text()
    assert "Patience (not met), Passion for the job (not yet confirmed)" in error
    look(page, "onboarding-pool-approve-error-desktop")


def test_the_criteria_page_before_and_after_the_defaults(
    cast: Cast, page_for: Any, live_server: Any
) -> None:
    page = page_for(cast.user(Role.HR))
    page.goto(live_server.url + reverse("onboarding:pool-criteria"))
    look(page, "onboarding-pool-criteria-empty-desktop")
    page.get_by_role("button", name="Add the brochure's criteria").click()
    assert "Passion for the job" in page.locator("main").inner_text()
    look(page, "onboarding-pool-criteria-desktop")
    phone = page_for(cast.user(Role.HR), phone=True)
    phone.goto(live_server.url + reverse("onboarding:pool-criteria"))
    look(phone, "onboarding-pool-criteria-phone")


def test_forms_on_a_phone(cast: Cast, page_for: Any, live_server: Any) -> None:
    scene = pool_scene(cast)
    phone = page_for(cast.user(Role.HR), phone=True)
    for name, url_name, pk in [
        ("profile-edit", "onboarding:pool-profile-edit", scene["marleen"].pk),
        ("training", "onboarding:pool-training-add", scene["marleen"].pk),
        ("photo", "onboarding:pool-photo", scene["marleen"].pk),
        ("propose", "onboarding:pool-propose", None),
    ]:
        phone.goto(live_server.url + reverse(url_name, args=[pk] if pk else []))
        look(phone, f"onboarding-pool-{name}-phone")


def test_volunteering_from_the_home_page(cast: Cast, page_for: Any, live_server: Any) -> None:
    phone = page_for(cast.user(Role.MENTOR), phone=True)
    phone.goto(live_server.url + reverse("core:home"))
    look(phone, "onboarding-pool-home-offer-phone")
    phone.get_by_role("button", name="Offer myself").click()
    look(phone, "onboarding-pool-volunteer-phone")
    phone.get_by_label("Why you would like to guide newcomers").fill("I like explaining.")
    phone.get_by_role("button", name="Offer myself").click()
    phone.wait_for_url(live_server.url + "/")
    assert "You are a candidate peter/meter" in phone.locator(".pool-mine").inner_text()
    look(phone, "onboarding-pool-home-candidate-phone")
    assert GuideProfile.objects.get(employee=cast.employees[Role.MENTOR]).origin == "volunteered"


def test_the_newcomer_sees_his_peters_photo(cast: Cast, page_for: Any, live_server: Any) -> None:
    scene = pool_scene(cast)
    newcomer = cast.employees[Role.EMPLOYEE]
    designate(cast, start(cast, newcomer), scene["marleen"].employee)
    phone = page_for(cast.user(Role.EMPLOYEE), phone=True)
    phone.goto(live_server.url + reverse("onboarding:mine"))
    phone.wait_for_load_state("load")
    photo = phone.locator(".guide-card img.avatar")
    assert photo.evaluate("img => img.naturalWidth") == 2
    look(phone, "onboarding-pool-newcomer-photo-phone")
    assert Employee.objects.filter(pk=newcomer.pk).exists()
