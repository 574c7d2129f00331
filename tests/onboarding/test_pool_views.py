"""The pool pages: who sees what, the forms' refusals, the photo's access and query bounds."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leerplek.core.permissions import PERMISSIONS
from leerplek.core.roles import Role
from leerplek.onboarding import services_pool
from leerplek.onboarding.models import EligibilityCriterion, GuideProfile, GuideStatus
from leerplek.onboarding.services_pool import ERRORS
from leerplek.people.models import Employee, UnitKind
from tests.core.test_url_permissions import all_urls, url_arguments, url_kwargs
from tests.factories import Cast, EmployeeFactory, make_unit
from tests.onboarding.factories import designate, start, templates
from tests.onboarding.factories_pool import (
    acting,
    approved,
    confirm_all,
    defaults,
    propose,
    senior,
    train,
)

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def page(client: Any, name: str, **kwargs: Any) -> str:
    response = client.get(reverse(f"onboarding:{name}", kwargs=kwargs))
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_every_pool_url_as_every_role(cast: Cast, client: Any, role: Role) -> None:
    """The URL walk of tests/core/test_url_permissions.py, for the pool's pages only."""
    arguments = url_arguments(cast, cast.user(role))
    client.force_login(cast.user(role))
    for name, pattern in all_urls():
        if not name.startswith("onboarding:pool"):
            continue
        kwargs = url_kwargs(arguments, name, pattern)
        url = reverse(name, kwargs=kwargs)
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url, {})
        rule = PERMISSIONS[pattern.callback.required_perm]
        allowed = role in rule.roles or (rule.own and not kwargs)
        if allowed:
            assert response.status_code not in (403, 404), (name, role, response.status_code)
            assert response.status_code < 500, (name, role)
        else:
            assert response.status_code == 403, (name, role, response.status_code)


# --- The pool page -------------------------------------------------------------------------------


def test_the_pool_shows_members_candidates_and_the_uncovered_shift(
    cast: Cast, client_for: Any
) -> None:
    templates(cast)
    early = make_unit(cast.organisation, "Early shift", parent=cast.packaging, kind=UnitKind.SHIFT)
    night = make_unit(cast.organisation, "Night shift", parent=cast.packaging, kind=UnitKind.SHIFT)
    EmployeeFactory(organisation=cast.organisation, unit=night)
    member = approved(cast, senior(cast, unit=early, last_name="Peeters"), max_mentees=2)
    services_pool.guide_profile_update(
        profile=member,
        by=acting(cast, Role.HR),
        max_mentees=2,
        load_unit="lines",
        normal_load=6,
        reduced_load=4,
    )
    designate(cast, start(cast), member.employee)
    propose(cast, senior(cast, last_name="Claes"))

    body = page(client_for(cast.user(Role.HR)), "pool")

    assert "Peeters" in body
    assert "1 of 2" in body
    assert "6 lines → 4 lines" in body
    assert "Claes" in body
    assert "At least one peter/meter per shift." in body
    assert "Night shift" in body
    assert "not trained" in body


def test_a_manager_sees_the_pool_of_his_units_only(cast: Cast, client_for: Any) -> None:
    approved(cast, senior(cast, last_name="Binnen"))
    approved(cast, senior(cast, unit=cast.office, last_name="Buiten"))
    body = page(client_for(cast.user(Role.MANAGER)), "pool")
    assert "Binnen" in body
    assert "Buiten" not in body


def test_the_pool_page_keeps_a_fixed_query_count(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    templates(cast)
    defaults(cast)

    def grow(size: int) -> None:
        for index in range(size):
            unit = make_unit(
                cast.organisation, f"Shift {size}-{index}", parent=cast.packaging, kind="shift"
            )
            member = approved(cast, senior(cast, unit=unit))
            train(cast, member, datetime.date(2025, 1, 6))
            designate(
                cast, start(cast, EmployeeFactory(organisation=cast.organisation)), member.employee
            )
            propose(cast, senior(cast, unit=unit))

    grow(1)
    client = client_for(cast.user(Role.HR))
    with django_assert_max_num_queries(10) as small:
        page(client, "pool")
    grow(8)
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = page(client, "pool")
    assert body.count("refresher by") == 9  # every member is on the page


# --- Criteria ------------------------------------------------------------------------------------


def test_hr_adds_the_brochure_criteria_with_one_click(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.user(Role.HR))
    assert "Add the brochure's criteria" in page(client, "pool-criteria")
    response = client.post(reverse("onboarding:pool-criteria-defaults"))
    assert response.status_code == 302
    body = page(client, "pool-criteria")
    assert "Passion for the job" in body
    assert "Experience" in body
    assert EligibilityCriterion.objects.filter(organisation=cast.organisation).count() == 8


def test_a_numeric_criterion_without_minimum_is_refused_on_the_field(
    cast: Cast, client_for: Any
) -> None:
    client = client_for(cast.user(Role.HR))
    response = client.post(
        reverse("onboarding:pool-criterion-create"),
        {"kind": "numeric", "name": "Years", "measure": "experience_years", "position": 0},
    )
    assert response.status_code == 422
    assert response.context["form"].errors == {"minimum": [str(ERRORS["minimum_needed"])]}


def test_hr_edits_a_criterion(cast: Cast, client_for: Any) -> None:
    defaults(cast)
    experience = EligibilityCriterion.objects.get(name="Experience")
    client = client_for(cast.user(Role.HR))
    url = reverse("onboarding:pool-criterion-edit", args=[experience.pk])
    assert 'value="10.00"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "kind": "numeric",
            "name": "Experience",
            "measure": "experience_years",
            "minimum": "8",
            "position": 0,
        },
    )
    assert response.status_code == 302
    experience.refresh_from_db()
    assert (experience.minimum, experience.is_required) == (Decimal(8), False)


# --- Candidates ----------------------------------------------------------------------------------


def test_an_employee_volunteers_from_the_home_page(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.user(Role.MENTOR))
    home = client.get(reverse("core:home")).content.decode()
    assert "Become a peter/meter" in home
    assert reverse("onboarding:pool-volunteer") in home
    response = client.post(reverse("onboarding:pool-volunteer"), {"motivation": "I like it"})
    assert response.status_code == 302
    profile = GuideProfile.objects.get(employee=cast.employees[Role.MENTOR])
    assert profile.origin == "volunteered"
    home = client.get(reverse("core:home")).content.decode()
    assert "You are a candidate peter/meter" in home
    assert "Withdraw my candidacy" in home
    assert "You are a candidate" in page(client, "pool-volunteer")
    client.post(reverse("onboarding:pool-leave"))
    profile.refresh_from_db()
    assert profile.status == GuideStatus.WITHDRAWN


def test_a_newcomer_is_not_invited_to_become_a_peter(cast: Cast, client_for: Any) -> None:
    templates(cast)
    start(cast, cast.employees[Role.EMPLOYEE])
    home = client_for(cast.user(Role.EMPLOYEE)).get(reverse("core:home")).content.decode()
    assert "Become a peter/meter" not in home


def test_hr_sees_the_candidates_waiting_on_the_home_page(cast: Cast, client_for: Any) -> None:
    propose(cast, senior(cast))
    home = client_for(cast.user(Role.HR)).get(reverse("core:home")).content.decode()
    assert "1 candidate waits for a decision" in home


def test_a_manager_proposes_someone_of_his_units(cast: Cast, client_for: Any) -> None:
    inside = senior(cast, last_name="Binnen")
    senior(cast, unit=cast.office, last_name="Buiten")
    client = client_for(cast.user(Role.MANAGER))
    form = page(client, "pool-propose")
    assert "Binnen" in form
    assert "Buiten" not in form
    response = client.post(
        reverse("onboarding:pool-propose"), {"employee": inside.pk, "motivation": "Patient"}
    )
    profile = GuideProfile.objects.get(employee=inside)
    assert response["Location"] == reverse("onboarding:pool-profile", args=[profile.pk])
    assert profile.proposed_by == cast.user(Role.MANAGER)


def test_the_candidate_page_explains_each_criterion(cast: Cast, client_for: Any) -> None:
    defaults(cast)
    profile = propose(cast, senior(cast, hire_date=datetime.date(2024, 1, 8)))
    body = page(client_for(cast.user(Role.HR)), "pool-profile", guide_profile_id=profile.pk)
    assert "12.0 years of experience, needs 10" in body
    assert "years of seniority, needs 5" in body
    assert "Not yet confirmed by a line manager." in body
    assert "Take into the pool" in body


def test_the_manager_confirms_the_qualities_on_one_form(cast: Cast, client_for: Any) -> None:
    defaults(cast)
    profile = propose(cast, senior(cast))
    client = client_for(cast.user(Role.MANAGER))
    url = reverse("onboarding:pool-qualities", args=[profile.pk])
    criteria = {c.name: c for c in EligibilityCriterion.objects.filter(kind="qualitative")}
    assert "Deployability" in client.get(url).content.decode()
    refused = client.post(url, {f"met_{criteria['Patience'].pk}": "no"})
    assert refused.status_code == 422
    assert str(ERRORS["note_needed"]) % {"name": "Patience"} in refused.content.decode()
    assert not profile.qualities.exists()
    response = client.post(
        url,
        {
            f"met_{criteria['Patience'].pk}": "no",
            f"note_{criteria['Patience'].pk}": "Rushes the explanation",
            f"met_{criteria['Motivation'].pk}": "yes",
        },
    )
    assert response.status_code == 302
    assert {(q.criterion.name, q.is_met) for q in profile.qualities.all()} == {
        ("Patience", False),
        ("Motivation", True),
    }
    body = page(client, "pool-profile", guide_profile_id=profile.pk)
    assert "Rushes the explanation" in body


def test_approval_refused_without_a_reason_names_the_criterion(cast: Cast, client_for: Any) -> None:
    defaults(cast)
    profile = propose(cast, senior(cast, experience_years=Decimal(4)))
    confirm_all(cast, profile)
    client = client_for(cast.user(Role.HR))
    url = reverse("onboarding:pool-approve", args=[profile.pk])
    assert "4.0 years of experience, needs 10" in client.get(url).content.decode()
    response = client.post(url, {"override_reason": ""})
    assert response.status_code == 422
    assert response.context["form"].errors == {
        "override_reason": [
            str(ERRORS["override_needed"])
            % {"criteria": "Experience (4.0 years of experience, needs 10)"}
        ]
    }
    response = client.post(url, {"override_reason": "Knows the new machine best"})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.status == GuideStatus.APPROVED
    assert "exception" in page(client, "pool")


def test_decline_needs_a_reason(cast: Cast, client_for: Any) -> None:
    profile = propose(cast, senior(cast))
    client = client_for(cast.user(Role.HR))
    url = reverse("onboarding:pool-decline", args=[profile.pk])
    assert client.post(url, {"reason": ""}).status_code == 422
    assert client.post(url, {"reason": "Not now"}).status_code == 302
    profile.refresh_from_db()
    assert profile.status == GuideStatus.DECLINED


# --- Profile, photo, trainings -------------------------------------------------------------------


def test_hr_sets_the_load_and_a_wrong_one_is_refused_on_its_field(
    cast: Cast, client_for: Any
) -> None:
    member = approved(cast)
    client = client_for(cast.user(Role.HR))
    url = reverse("onboarding:pool-profile-edit", args=[member.pk])
    response = client.post(
        url, {"max_mentees": 2, "load_unit": "lines", "normal_load": 4, "reduced_load": 6}
    )
    assert response.status_code == 422
    assert response.context["form"].errors == {
        "reduced_load": [str(ERRORS["load_reduced_more"]) % {"reduced": 6, "normal": 4}]
    }
    response = client.post(
        url, {"max_mentees": 3, "load_unit": "lines", "normal_load": 6, "reduced_load": 4}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.max_mentees, member.reduced_load) == (3, 4)


def test_the_photo_is_uploaded_and_served_only_to_who_may_see_it(
    cast: Cast, client_for: Any
) -> None:
    templates(cast)
    member = approved(cast)
    hr = client_for(cast.user(Role.HR))
    upload = reverse("onboarding:pool-photo", args=[member.pk])
    fake = hr.post(upload, {"photo": SimpleUploadedFile("me.png", b"MZ" + b"\x00" * 30)})
    assert fake.status_code == 422
    assert "is not a real PNG photo inside" in fake.content.decode()
    assert hr.post(upload, {"photo": SimpleUploadedFile("me.png", PNG)}).status_code == 302
    url = reverse("onboarding:pool-photo-file", args=[member.pk])
    response = hr.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    # A colleague who is not his newcomer: refused; his newcomer: sees it on his page too.
    newcomer = cast.employees[Role.EMPLOYEE]
    employee = client_for(cast.user(Role.EMPLOYEE))
    assert employee.get(url).status_code == 403
    designate(cast, start(cast, newcomer), member.employee)
    assert employee.get(url).status_code == 200
    assert url in employee.get(reverse("onboarding:mine")).content.decode()


def test_hr_records_a_training_with_the_curriculum_suggested(cast: Cast, client_for: Any) -> None:
    member = approved(cast)
    client = client_for(cast.user(Role.HR))
    url = reverse("onboarding:pool-training-add", args=[member.pk])
    assert "How adults learn" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "kind": "refresher",
            "completed_on": "2025-03-03",
            "hours": "7.5",
            "topics": "Giving feedback",
        },
    )
    assert response.status_code == 422
    assert response.context["form"].errors == {"kind": [str(ERRORS["initial_first"])]}
    response = client.post(
        url,
        {
            "kind": "initial",
            "completed_on": "2025-03-03",
            "hours": "7.5",
            "topics": "Giving feedback",
            "provider": "Alimento",
        },
    )
    assert response.status_code == 302
    body = page(client, "pool-profile", guide_profile_id=member.pk)
    assert "Alimento" in body
    assert "trained" in body
    training = member.trainings.get()
    client.post(reverse("onboarding:pool-training-remove", args=[training.pk]))
    assert not member.trainings.exists()


def test_another_organisations_profile_does_not_exist(cast: Cast, client_for: Any) -> None:
    member = approved(cast)
    other = client_for(cast.other_hr)
    assert other.get(reverse("onboarding:pool-profile", args=[member.pk])).status_code == 404
    assert other.get(reverse("onboarding:pool-photo-file", args=[member.pk])).status_code == 404
    assert Employee.objects.filter(pk=member.employee_id).exists()


def test_the_profile_page_keeps_a_fixed_query_count(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    defaults(cast)
    member = approved(cast)
    train(cast, member, datetime.date(2022, 1, 6))
    client = client_for(cast.user(Role.HR))
    with django_assert_max_num_queries(13) as small:
        page(client, "pool-profile", guide_profile_id=member.pk)
    for year in range(2023, 2026):
        train(cast, member, datetime.date(year, 1, 6), kind="refresher")
    for index in range(5):
        services_pool.criterion_save(
            organisation=cast.organisation,
            by=acting(cast, Role.HR),
            kind="qualitative",
            name=f"Quality {index}",
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = page(client, "pool-profile", guide_profile_id=member.pk)
    assert body.count("Quality ") == 5


def test_the_newcomer_sees_the_shift_of_his_peter(cast: Cast, client: Any) -> None:
    templates(cast)
    night = make_unit(cast.organisation, "Night shift", parent=cast.production, kind=UnitKind.SHIFT)
    member = approved(cast, shift=night)
    newcomer = cast.employees[Role.EMPLOYEE]
    designate(cast, start(cast, newcomer), member.employee)
    client.force_login(cast.user(Role.EMPLOYEE))
    assert "Shift: Night shift" in client.get(reverse("onboarding:mine")).content.decode()
