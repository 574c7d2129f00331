"""Rules of the competence services: refusals name their field, nothing is half-written."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from leerplek.competences import services
from leerplek.competences.models import Assessment, Level, LevelScale, Requirement, WorkRelease
from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from tests.competences.factories import DAY, acting, assess, competence, level
from tests.factories import Cast, EmployeeFactory, WorkstationFactory

pytestmark = pytest.mark.django_db


def test_default_scale_is_iluo_and_created_once(cast: Cast) -> None:
    scale = services.default_scale(cast.organisation)
    again = services.default_scale(cast.organisation)
    assert scale.pk == again.pk
    assert list(scale.levels.values_list("code", flat=True)) == ["0", "I", "L", "U", "O"]
    assert list(scale.levels.filter(counts_for_coverage=True).values_list("code", flat=True)) == [
        "U",
        "O",
    ]
    assert list(scale.levels.filter(may_train=True).values_list("code", flat=True)) == ["O"]


def test_competence_code_is_unique_per_organisation(cast: Cast) -> None:
    competence(cast, "HACCP")
    with pytest.raises(ValidationError) as caught:
        competence(cast, "HACCP")
    assert caught.value.message_dict == {
        "code": ["Another competence in this organisation already uses this code."]
    }


def test_requirement_needs_a_function_or_a_workstation_not_both(cast: Cast) -> None:
    what = competence(cast)
    station = WorkstationFactory(organisation=cast.organisation, unit=cast.packaging)
    with pytest.raises(ValidationError) as caught:
        services.requirement_set(
            competence=what,
            by=cast.user(Role.HR),
            level=level(cast.organisation, "U"),
            job=cast.job,
            workstation=station,
        )
    assert caught.value.message_dict == {
        "workstation": ["Choose either a function or a workstation, not both."]
    }
    assert not Requirement.objects.exists()


def test_requirement_set_twice_changes_the_same_row(cast: Cast) -> None:
    what = competence(cast)
    first = services.requirement_set(
        competence=what, by=cast.user(Role.HR), level=level(cast.organisation, "L"), job=cast.job
    )
    second = services.requirement_set(
        competence=what,
        by=cast.user(Role.HR),
        level=level(cast.organisation, "U"),
        job=cast.job,
        ideal_count=3,
    )
    assert first.pk == second.pk
    assert Requirement.objects.get().ideal_count == 3


def test_assessment_in_the_future_is_refused(cast: Cast) -> None:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        assess(cast, cast.worker, competence(cast), "U", on=tomorrow)
    assert caught.value.message_dict == {
        "assessed_on": [
            f"The assessment date cannot be in the future; today is {timezone.localdate()}."
        ]
    }
    assert not Assessment.objects.exists()


def test_assessment_of_a_person_who_left_is_refused(cast: Cast) -> None:
    gone = EmployeeFactory(
        organisation=cast.organisation,
        unit=cast.packaging,
        first_name="Gert",
        last_name="Gone",
        exit_date=datetime.date(2024, 1, 31),
        exit_reason="resignation",
    )
    with pytest.raises(ValidationError) as caught:
        assess(cast, gone, competence(cast), "U")
    assert caught.value.message_dict == {
        "employee": ["Gert Gone left on 2024-01-31; record no new assessments for this person."]
    }


def test_nobody_validates_his_own_level(cast: Cast) -> None:
    manager = cast.employees[Role.MANAGER]
    manager.unit = cast.packaging
    manager.save()
    with pytest.raises(ValidationError) as caught:
        assess(cast, manager, competence(cast), "O", role=Role.MANAGER)
    assert caught.value.message_dict == {
        "assessor": ["Nobody validates his own level. Ask a colleague with scope to assess you."]
    }
    assert not Assessment.objects.exists()


def test_assessor_without_scope_is_refused(cast: Cast) -> None:
    outsider = EmployeeFactory(organisation=cast.organisation, unit=cast.office)
    with pytest.raises(PermissionDenied):
        assess(cast, outsider, competence(cast), "U", role=Role.MANAGER)
    with pytest.raises(PermissionDenied):
        assess(cast, cast.worker, competence(cast, "X2"), "U", role=Role.MENTOR)
    assert not Assessment.objects.exists()


def test_level_of_another_scale_is_refused(cast: Cast) -> None:
    other = LevelScale.objects.create(organisation=cast.organisation, name="1-5")
    five = Level.objects.create(scale=other, code="5", rank=5, name="Expert")
    services.default_scale(cast.organisation)
    with pytest.raises(ValidationError) as caught:
        services.assessment_record(
            employee=cast.worker,
            competence=competence(cast),
            level=five,
            assessed_on=DAY,
            by=acting(cast.user(Role.HR), cast.organisation),
            assessor=cast.employees[Role.HR],
            method="test",
        )
    assert caught.value.message_dict == {"level": ["Choose a level of the scale ILUO."]}


def test_official_assessment_needs_an_assessor(cast: Cast) -> None:
    with pytest.raises(ValidationError) as caught:
        services.assessment_record(
            employee=cast.worker,
            competence=competence(cast),
            level=level(cast.organisation, "U"),
            assessed_on=DAY,
            by=acting(cast.user(Role.HR), cast.organisation),
            method="test",
        )
    assert caught.value.message_dict == {"assessor": ["Choose who assessed the level."]}


def test_self_assessment_needs_no_role_and_is_not_official(cast: Cast) -> None:
    me = cast.employees[Role.EMPLOYEE]
    done = services.assessment_record(
        employee=me,
        competence=competence(cast),
        level=level(cast.organisation, "O"),
        assessed_on=DAY,
        by=acting(cast.user(Role.EMPLOYEE), cast.organisation),
        method="self_assessment",
    )
    assert done.is_self
    assert done.assessor == me
    assert AuditEntry.objects.filter(action="competences.self_assessed").count() == 1


def test_every_assessment_is_a_new_row(cast: Cast) -> None:
    what = competence(cast)
    assess(cast, cast.worker, what, "I", on=datetime.date(2025, 1, 6))
    assess(cast, cast.worker, what, "U", on=datetime.date(2025, 2, 3))
    assert list(
        Assessment.objects.filter(employee=cast.worker).values_list("level__code", flat=True)
    ) == ["U", "I"]
    assert AuditEntry.objects.filter(action="competences.assessed").count() == 2


def test_only_a_manager_releases_to_work_alone(cast: Cast) -> None:
    station = WorkstationFactory(organisation=cast.organisation, unit=cast.packaging)
    with pytest.raises(PermissionDenied):
        services.work_release_grant(
            employee=cast.worker,
            workstation=station,
            released_on=DAY,
            by=acting(cast.user(Role.HR), cast.organisation),
        )
    manager = acting(cast.user(Role.MANAGER), cast.organisation)
    release = services.work_release_grant(
        employee=cast.worker, workstation=station, released_on=DAY, by=manager
    )
    with pytest.raises(ValidationError) as caught:
        services.work_release_grant(
            employee=cast.worker, workstation=station, released_on=DAY, by=manager
        )
    assert caught.value.message_dict == {
        "workstation": ["This person is already released to work alone at this workstation."]
    }
    services.work_release_revoke(release=release, by=manager, revoked_on=DAY)
    assert WorkRelease.objects.get().revoked_on == DAY
    with pytest.raises(ValidationError) as caught:
        services.work_release_revoke(release=release, by=manager)
    assert caught.value.message_dict == {"revoked_on": ["This release was already revoked."]}
