"""Rules of the pool services: what they write, and what they refuse (with the message)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from leerplek.onboarding import services, services_pool
from leerplek.onboarding.models import (
    EligibilityCriterion,
    GuideProfile,
    GuideStatus,
    GuideTraining,
    QualityConfirmation,
)
from leerplek.onboarding.services_pool import ERRORS
from leerplek.people.models import UnitKind
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


def message(code: str, **params: object) -> str:
    return str(ERRORS[code]) % params if params else str(ERRORS[code])


def errors_of(excinfo: Any, field: str) -> list[str]:
    return excinfo.value.message_dict[field]


# --- Criteria ------------------------------------------------------------------------------------


def test_the_brochure_defaults_are_created_once(cast: Cast) -> None:
    created = defaults(cast)
    assert [c.name for c in created] == [
        "Experience",
        "Seniority",
        "Communication",
        "Patience",
        "Passion for the job",
        "Trustworthiness",
        "Deployability",
        "Motivation",
    ]
    experience = EligibilityCriterion.objects.get(name="Experience")
    assert (experience.measure, experience.minimum, experience.is_required) == (
        "experience_years",
        Decimal(10),
        True,
    )
    assert defaults(cast) == []
    assert EligibilityCriterion.objects.count() == 8
    assert AuditEntry.objects.filter(action="onboarding.criteria_defaults_created").count() == 2


def test_a_numeric_criterion_needs_a_measure_and_a_minimum(cast: Cast) -> None:
    hr = acting(cast, Role.HR)
    with pytest.raises(ValidationError) as excinfo:
        services_pool.criterion_save(
            organisation=cast.organisation, by=hr, kind="numeric", name="Years", measure=""
        )
    assert errors_of(excinfo, "measure") == [message("measure_needed")]
    with pytest.raises(ValidationError) as excinfo:
        services_pool.criterion_save(
            organisation=cast.organisation,
            by=hr,
            kind="numeric",
            name="Years",
            measure="experience_years",
        )
    assert errors_of(excinfo, "minimum") == [message("minimum_needed")]
    assert not EligibilityCriterion.objects.exists()


def test_criterion_names_are_unique_and_a_quality_has_no_minimum(cast: Cast) -> None:
    hr = acting(cast, Role.HR)
    quality = services_pool.criterion_save(
        organisation=cast.organisation,
        by=hr,
        kind="qualitative",
        name="Patience",
        measure="experience_years",
        minimum=Decimal(3),
    )
    assert (quality.measure, quality.minimum) == ("", None)
    with pytest.raises(ValidationError) as excinfo:
        services_pool.criterion_save(
            organisation=cast.organisation, by=hr, kind="qualitative", name="patience"
        )
    assert errors_of(excinfo, "name") == [message("name_taken", name="patience")]


def test_only_hr_keeps_the_criteria(cast: Cast) -> None:
    defaults_by = acting(cast, Role.MANAGER)
    with pytest.raises(PermissionDenied):
        services_pool.criteria_create_defaults(organisation=cast.organisation, by=defaults_by)


# --- Candidates ----------------------------------------------------------------------------------


def test_a_person_volunteers_himself_and_not_twice(cast: Cast) -> None:
    mentor = acting(cast, Role.MENTOR)
    person = cast.employees[Role.MENTOR]
    profile = services_pool.guide_volunteer(employee=person, by=mentor, motivation=" I like it ")
    assert (profile.status, profile.origin, profile.motivation) == (
        GuideStatus.CANDIDATE,
        "volunteered",
        "I like it",
    )
    assert profile.max_mentees == 2  # LEERPLEK["MAX_MENTEES_DEFAULT"]
    with pytest.raises(ValidationError) as excinfo:
        services_pool.guide_volunteer(employee=person, by=mentor)
    assert errors_of(excinfo, "employee") == [
        message("already_candidate", name=person, date=timezone.localdate())
    ]


def test_nobody_volunteers_someone_else(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        services_pool.guide_volunteer(employee=cast.worker, by=acting(cast, Role.MENTOR))  # type: ignore[arg-type]


def test_a_manager_proposes_only_people_of_his_units(cast: Cast) -> None:
    profile = propose(cast, senior(cast), motivation="Calm and precise")
    assert profile.proposed_by == cast.user(Role.MANAGER)
    assert AuditEntry.objects.filter(action="onboarding.guide_proposed").exists()
    with pytest.raises(PermissionDenied):
        propose(cast, senior(cast, unit=cast.office))


def test_someone_who_left_cannot_join(cast: Cast) -> None:
    gone = senior(cast, exit_date=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as excinfo:
        propose(cast, gone)
    assert errors_of(excinfo, "employee") == [message("person_left", name=gone)]
    assert not GuideProfile.objects.exists()


def test_the_shift_defaults_to_the_persons_unit_when_it_is_a_shift(cast: Cast) -> None:
    early = make_unit(cast.organisation, "Early", parent=cast.packaging, kind=UnitKind.SHIFT)
    assert propose(cast, senior(cast, unit=early)).shift == early
    assert propose(cast, senior(cast)).shift is None


def test_a_declined_candidate_may_come_back(cast: Cast) -> None:
    person = senior(cast)
    profile = propose(cast, person)
    services_pool.guide_decline(profile=profile, by=acting(cast, Role.HR), reason="Too busy now")
    again = propose(cast, person, motivation="Less busy now")
    assert again.pk == profile.pk
    assert (again.status, again.decided_by) == (GuideStatus.CANDIDATE, None)


# --- Qualities -----------------------------------------------------------------------------------


def test_a_manager_confirms_a_quality_and_may_change_his_mind(cast: Cast) -> None:
    defaults(cast)
    profile = propose(cast, senior(cast))
    patience = EligibilityCriterion.objects.get(name="Patience")
    manager = acting(cast, Role.MANAGER)
    services_pool.quality_confirm(profile=profile, criterion=patience, is_met=True, by=manager)
    services_pool.quality_confirm(
        profile=profile, criterion=patience, is_met=False, note="Rushes", by=manager
    )
    confirmation = QualityConfirmation.objects.get()
    assert (confirmation.is_met, confirmation.note, confirmation.confirmed_by) == (
        False,
        "Rushes",
        cast.user(Role.MANAGER),
    )


def test_not_met_needs_a_note(cast: Cast) -> None:
    defaults(cast)
    profile = propose(cast, senior(cast))
    patience = EligibilityCriterion.objects.get(name="Patience")
    with pytest.raises(ValidationError) as excinfo:
        services_pool.quality_confirm(
            profile=profile, criterion=patience, is_met=False, by=acting(cast, Role.MANAGER)
        )
    assert errors_of(excinfo, "note") == [message("note_needed", name=patience)]
    assert not QualityConfirmation.objects.exists()


def test_a_numeric_criterion_is_not_confirmed_by_hand(cast: Cast) -> None:
    defaults(cast)
    profile = propose(cast, senior(cast))
    experience = EligibilityCriterion.objects.get(name="Experience")
    with pytest.raises(ValidationError) as excinfo:
        services_pool.quality_confirm(
            profile=profile, criterion=experience, is_met=True, by=acting(cast, Role.MANAGER)
        )
    assert errors_of(excinfo, "criterion") == [message("criterion_not_quality", name=experience)]


def test_nobody_confirms_his_own_qualities(cast: Cast) -> None:
    defaults(cast)
    admin = acting(cast, Role.ADMIN)
    profile = services_pool.guide_propose(employee=cast.employees[Role.ADMIN], by=admin)
    patience = EligibilityCriterion.objects.get(name="Patience")
    with pytest.raises(ValidationError) as excinfo:
        services_pool.quality_confirm(profile=profile, criterion=patience, is_met=True, by=admin)
    assert errors_of(excinfo, "criterion") == [message("own_qualities")]


def test_qualities_are_saved_all_or_none(cast: Cast) -> None:
    defaults(cast)
    profile = propose(cast, senior(cast))
    patience = EligibilityCriterion.objects.get(name="Patience")
    motivation = EligibilityCriterion.objects.get(name="Motivation")
    with pytest.raises(ValidationError):
        services_pool.qualities_confirm(
            profile=profile,
            answers=[(patience, True, ""), (motivation, False, "")],
            by=acting(cast, Role.MANAGER),
        )
    assert not QualityConfirmation.objects.exists()


# --- Decisions -----------------------------------------------------------------------------------


def test_approval_of_a_candidate_who_meets_everything(cast: Cast) -> None:
    defaults(cast)
    profile = propose(cast, senior(cast))
    confirm_all(cast, profile)
    member = services_pool.guide_approve(profile=profile, by=acting(cast, Role.HR))
    assert (member.status, member.override_reason, member.decided_on) == (
        GuideStatus.APPROVED,
        "",
        timezone.localdate(),
    )
    entry = AuditEntry.objects.get(action="onboarding.guide_approved")
    assert entry.after["missed"] == []


def test_approval_with_a_required_criterion_missed_needs_a_reason_naming_it(cast: Cast) -> None:
    defaults(cast)
    junior = senior(cast, experience_years=Decimal("4.5"))
    profile = propose(cast, junior)
    confirm_all(cast, profile)
    hr = acting(cast, Role.HR)
    with pytest.raises(ValidationError) as excinfo:
        services_pool.guide_approve(profile=profile, by=hr)
    assert errors_of(excinfo, "override_reason") == [
        message("override_needed", criteria="Experience (4.5 years of experience, needs 10)")
    ]
    assert GuideProfile.objects.get(pk=profile.pk).status == GuideStatus.CANDIDATE
    member = services_pool.guide_approve(
        profile=profile, by=hr, override_reason="Knows the new line best"
    )
    assert member.override_reason == "Knows the new line best"


def test_an_unconfirmed_required_quality_also_needs_a_reason(cast: Cast) -> None:
    defaults(cast)
    profile = propose(cast, senior(cast))
    with pytest.raises(ValidationError) as excinfo:
        services_pool.guide_approve(profile=profile, by=acting(cast, Role.HR))
    assert (
        "Communication (not yet confirmed), Patience (not yet confirmed)"
        in errors_of(excinfo, "override_reason")[0]
    )


def test_an_advisory_criterion_does_not_block(cast: Cast) -> None:
    defaults(cast)
    EligibilityCriterion.objects.exclude(name="Experience").update(is_required=False)
    profile = propose(cast, senior(cast))
    member = services_pool.guide_approve(profile=profile, by=acting(cast, Role.HR))
    assert member.override_reason == ""


def test_only_a_candidate_is_approved_or_declined(cast: Cast) -> None:
    member = approved(cast)
    hr = acting(cast, Role.HR)
    with pytest.raises(ValidationError) as excinfo:
        services_pool.guide_approve(profile=member, by=hr)
    assert errors_of(excinfo, "override_reason") == [
        message("not_candidate", name=member.employee, status="In the pool")
    ]
    with pytest.raises(ValidationError):
        services_pool.guide_decline(profile=member, by=hr, reason="No")


def test_a_manager_does_not_approve(cast: Cast) -> None:
    profile = propose(cast, senior(cast))
    with pytest.raises(PermissionDenied):
        services_pool.guide_approve(profile=profile, by=acting(cast, Role.MANAGER))


def test_decline_needs_a_reason(cast: Cast) -> None:
    profile = propose(cast, senior(cast))
    with pytest.raises(ValidationError) as excinfo:
        services_pool.guide_decline(profile=profile, by=acting(cast, Role.HR), reason=" ")
    assert errors_of(excinfo, "reason") == [message("reason_needed")]


def test_the_person_himself_leaves_the_pool(cast: Cast) -> None:
    mentor = acting(cast, Role.MENTOR)
    profile = services_pool.guide_volunteer(employee=cast.employees[Role.MENTOR], by=mentor)
    services_pool.guide_withdraw(profile=profile, by=mentor)
    assert GuideProfile.objects.get(pk=profile.pk).status == GuideStatus.WITHDRAWN
    other = propose(cast, senior(cast))
    with pytest.raises(PermissionDenied):
        services_pool.guide_withdraw(profile=other, by=mentor)


# --- Profile -------------------------------------------------------------------------------------


def update(cast: Cast, profile: GuideProfile, **values: Any) -> GuideProfile:
    values.setdefault("max_mentees", 2)
    return services_pool.guide_profile_update(profile=profile, by=acting(cast, Role.HR), **values)


def test_the_load_while_guiding_is_recorded_with_its_unit(cast: Cast) -> None:
    member = update(cast, approved(cast), load_unit="lines", normal_load=6, reduced_load=4)
    assert (member.normal_load, member.reduced_load, member.load_unit) == (6, 4, "lines")


@pytest.mark.parametrize(
    ("values", "field", "code", "params"),
    [
        ({"normal_load": 6}, "load_unit", "load_unit_needed", {}),
        ({"load_unit": "lines", "reduced_load": 4}, "normal_load", "load_normal_needed", {}),
        (
            {"load_unit": "lines", "normal_load": 4, "reduced_load": 6},
            "reduced_load",
            "load_reduced_more",
            {"reduced": 6, "normal": 4},
        ),
    ],
)
def test_a_load_is_refused_when_it_does_not_add_up(
    cast: Cast, values: dict[str, Any], field: str, code: str, params: dict[str, Any]
) -> None:
    member = approved(cast)
    with pytest.raises(ValidationError) as excinfo:
        update(cast, member, **values)
    assert errors_of(excinfo, field) == [message(code, **params)]


def test_the_maximum_cannot_drop_below_the_current_newcomers(cast: Cast) -> None:
    templates(cast)
    member = approved(cast, max_mentees=3)
    for _ in range(2):
        designate(
            cast, start(cast, EmployeeFactory(organisation=cast.organisation)), member.employee
        )
    with pytest.raises(ValidationError) as excinfo:
        update(cast, member, max_mentees=1)
    assert errors_of(excinfo, "max_mentees") == [
        message("max_below_load", name=member.employee, count=2)
    ]


def test_the_shift_must_be_a_shift(cast: Cast) -> None:
    with pytest.raises(ValidationError) as excinfo:
        update(cast, approved(cast), shift=cast.packaging)
    assert errors_of(excinfo, "shift") == [message("not_a_shift", name=cast.packaging)]


def test_designation_uses_the_profiles_maximum(cast: Cast) -> None:
    templates(cast)
    member = approved(cast, max_mentees=1)
    designate(cast, start(cast, EmployeeFactory(organisation=cast.organisation)), member.employee)
    second = start(cast, EmployeeFactory(organisation=cast.organisation))
    with pytest.raises(ValidationError) as excinfo:
        designate(cast, second, member.employee)
    assert excinfo.value.message_dict["guide"] == [
        str(services.ERRORS["guide_full"]) % {"name": member.employee, "count": 1}
    ]
    update(cast, member, max_mentees=2)
    designate(cast, second, member.employee)


# --- Photo ---------------------------------------------------------------------------------------


def test_a_photo_is_stored_under_a_random_name(cast: Cast) -> None:
    member = approved(cast)
    services_pool.guide_photo_set(
        profile=member, by=acting(cast, Role.HR), photo=SimpleUploadedFile("Jan Peeters.PNG", PNG)
    )
    member.refresh_from_db()
    assert member.photo.name.startswith(f"guides/{cast.organisation.pk}/")
    assert member.photo.name.endswith(".png")
    assert "Jan" not in member.photo.name


@pytest.mark.parametrize(
    ("name", "content", "code", "params"),
    [
        ("cv.pdf", b"%PDF-1.4", "photo_type", {"name": "cv.pdf"}),
        (
            "me.jpg",
            b"MZ\x90\x00" + b"\x00" * 20,
            "photo_content",
            {"name": "me.jpg", "kind": "JPEG"},
        ),
        ("me.png", b"", "photo_empty", {"name": "me.png"}),
    ],
)
def test_a_photo_that_is_not_one_is_refused(
    cast: Cast, name: str, content: bytes, code: str, params: dict[str, Any]
) -> None:
    member = approved(cast)
    with pytest.raises(ValidationError) as excinfo:
        services_pool.guide_photo_set(
            profile=member, by=acting(cast, Role.HR), photo=SimpleUploadedFile(name, content)
        )
    assert errors_of(excinfo, "photo") == [message(code, **params)]
    member.refresh_from_db()
    assert not member.photo


def test_a_photo_larger_than_the_limit_is_refused(cast: Cast) -> None:
    member = approved(cast)
    big = SimpleUploadedFile("big.png", PNG + b"\x00" * (services_pool.PHOTO_MAX_MB * 1024 * 1024))
    with pytest.raises(ValidationError) as excinfo:
        services_pool.guide_photo_set(profile=member, by=acting(cast, Role.HR), photo=big)
    assert excinfo.value.message_dict["photo"][0].startswith("big.png is 5.0 MB")


# --- Trainings -----------------------------------------------------------------------------------


def test_a_training_is_recorded_and_a_refresher_follows_an_initial_one(cast: Cast) -> None:
    member = approved(cast)
    with pytest.raises(ValidationError) as excinfo:
        train(cast, member, datetime.date(2025, 1, 6), kind="refresher")
    assert errors_of(excinfo, "kind") == [message("initial_first")]
    train(cast, member, datetime.date(2022, 1, 6))
    train(cast, member, datetime.date(2025, 1, 6), kind="refresher")
    assert GuideTraining.objects.filter(profile=member).count() == 2


def test_a_training_is_not_in_the_future_and_has_hours(cast: Cast) -> None:
    member = approved(cast)
    hr = acting(cast, Role.HR)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        train(cast, member, tomorrow)
    assert errors_of(excinfo, "completed_on") == [
        message("future_date", today=timezone.localdate())
    ]
    with pytest.raises(ValidationError) as excinfo:
        services_pool.guide_training_record(
            profile=member,
            by=hr,
            kind="initial",
            completed_on=datetime.date(2025, 1, 6),
            topics="x",
            hours=Decimal(0),
        )
    assert errors_of(excinfo, "hours") == [message("hours_positive")]
