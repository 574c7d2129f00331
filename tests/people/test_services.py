"""Services on units, functions, workstations and people: rules, refusals and the audit log."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from leerplek.core.models import AuditEntry
from leerplek.people import services
from leerplek.people.models import AssignmentReason, Employee, JobAssignment, OrgUnit
from tests.factories import (
    EmployeeFactory,
    JobFactory,
    OrganisationFactory,
    UserFactory,
    make_unit,
)

pytestmark = pytest.mark.django_db


def test_unit_paths_follow_the_tree() -> None:
    org = OrganisationFactory()
    site = make_unit(org, "Site")
    dept = make_unit(org, "Dept", parent=site)
    team = make_unit(org, "Team", parent=dept)
    assert team.path == f"/{site.pk}/{dept.pk}/{team.pk}/"
    assert team.depth == 2


def test_moving_a_unit_moves_its_subtree() -> None:
    org = OrganisationFactory()
    a = make_unit(org, "A")
    b = make_unit(org, "B")
    child = make_unit(org, "Child", parent=a)
    grandchild = make_unit(org, "Grandchild", parent=child)
    services.unit_update(unit=child, by=UserFactory(), parent=b)
    grandchild.refresh_from_db()
    assert grandchild.path == f"/{b.pk}/{child.pk}/{grandchild.pk}/"
    assert grandchild.depth == 2
    assert AuditEntry.objects.filter(action="people.unit_moved").count() == 1


def test_a_unit_cannot_move_under_its_own_subunit() -> None:
    org = OrganisationFactory()
    a = make_unit(org, "A")
    child = make_unit(org, "Child", parent=a)
    with pytest.raises(ValidationError) as caught:
        services.unit_update(unit=a, by=UserFactory(), parent=child)
    assert caught.value.message_dict == {
        "parent": ["A unit cannot be moved under itself or one of its own sub-units."]
    }
    a.refresh_from_db()
    assert a.parent_id is None
    assert not AuditEntry.objects.filter(action="people.unit_moved").exists()


def test_a_parent_from_another_organisation_is_refused() -> None:
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    foreign = make_unit(theirs, "Foreign")
    with pytest.raises(ValidationError) as caught:
        services.unit_create(organisation=mine, by=None, name="X", kind="team", parent=foreign)
    assert caught.value.message_dict == {"parent": ["Choose one from this organisation."]}
    assert not OrgUnit.objects.filter(organisation=mine).exists()


def test_duplicate_email_is_refused_and_nothing_written() -> None:
    org = OrganisationFactory()
    EmployeeFactory(organisation=org, email="an@example.test")
    before = Employee.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.employee_create(
            organisation=org,
            by=None,
            first_name="An",
            last_name="Other",
            gender="f",
            hire_date=datetime.date(2024, 1, 1),
            email="AN@example.test",
        )
    assert caught.value.message_dict == {
        "email": ["Another person in this organisation already has this email address."]
    }
    assert Employee.objects.count() == before
    assert not AuditEntry.objects.filter(action="people.employee_created").exists()


def test_exit_needs_a_reason_and_comes_after_hire() -> None:
    org = OrganisationFactory()
    person = EmployeeFactory(organisation=org)
    with pytest.raises(ValidationError) as caught:
        services.employee_update(
            employee=person, by=UserFactory(), exit_date=datetime.date(2025, 1, 1)
        )
    assert "exit_reason" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.employee_update(
            employee=person,
            by=UserFactory(),
            exit_date=datetime.date(2000, 1, 1),
            exit_reason="resignation",
        )
    assert caught.value.message_dict == {
        "exit_date": ["The exit date cannot be before the hire date."]
    }


def test_employee_update_audits_only_what_changed() -> None:
    person = EmployeeFactory(first_name="Jan")
    services.employee_update(employee=person, by=UserFactory(), first_name="Johan")
    entry = AuditEntry.objects.get(action="people.employee_updated")
    assert entry.before == {"first_name": "Jan"}
    assert entry.after == {"first_name": "Johan"}


def test_new_function_closes_the_current_one() -> None:
    org = OrganisationFactory()
    first, second = JobFactory(organisation=org), JobFactory(organisation=org)
    person = services.employee_create(
        organisation=org,
        by=None,
        first_name="Lea",
        last_name="Maes",
        gender="f",
        hire_date=datetime.date(2020, 3, 1),
        job=first,
    )
    services.employee_assign_job(
        employee=person,
        job=second,
        start_date=datetime.date(2023, 9, 1),
        reason=AssignmentReason.INTERNAL_MOVE,
        by=None,
    )
    history = list(JobAssignment.objects.filter(employee=person).order_by("start_date"))
    assert [(a.job_id, a.end_date) for a in history] == [
        (first.pk, datetime.date(2023, 8, 31)),
        (second.pk, None),
    ]
    person.refresh_from_db()
    assert person.job_id == second.pk


def test_a_new_function_cannot_start_before_the_current_one() -> None:
    org = OrganisationFactory()
    first, second = JobFactory(organisation=org), JobFactory(organisation=org)
    person = services.employee_create(
        organisation=org,
        by=None,
        first_name="Lea",
        last_name="Maes",
        gender="f",
        hire_date=datetime.date(2020, 3, 1),
        job=first,
    )
    with pytest.raises(ValidationError) as caught:
        services.employee_assign_job(
            employee=person,
            job=second,
            start_date=datetime.date(2019, 1, 1),
            reason=AssignmentReason.INTERNAL_MOVE,
            by=None,
        )
    assert caught.value.message_dict == {
        "start_date": ["The new function must start after the current one started (2020-03-01)."]
    }
    assert JobAssignment.objects.filter(employee=person).count() == 1


def test_job_code_is_unique_per_organisation() -> None:
    org = OrganisationFactory()
    JobFactory(organisation=org, code="OPR")
    with pytest.raises(ValidationError) as caught:
        services.job_create(organisation=org, by=None, code="OPR", name="Other")
    assert caught.value.message_dict == {
        "code": ["Another record in this organisation already uses this code."]
    }
    # Another organisation may use the same code.
    services.job_create(organisation=OrganisationFactory(), by=None, code="OPR", name="Op")


def test_job_tasks_are_kept_in_order() -> None:
    org = OrganisationFactory()
    job = services.job_create(
        organisation=org,
        by=None,
        code="SAU",
        name="Sauce maker",
        tasks=[services.TaskLine("preparatory", "Weigh"), services.TaskLine("executive", "Cook")],
    )
    assert [t.description for t in job.tasks.all()] == ["Weigh", "Cook"]


def test_organisation_year_end_must_be_a_day() -> None:
    org = OrganisationFactory()
    with pytest.raises(ValidationError) as caught:
        services.organisation_update(organisation=org, by=UserFactory(), financial_year_end="13-45")
    assert caught.value.message_dict == {
        "financial_year_end": ["Enter the financial year end as month-day, e.g. 12-31."]
    }


def test_audit_entries_cannot_be_changed_or_deleted() -> None:
    org = OrganisationFactory()
    make_unit(org, "A")
    entry = AuditEntry.objects.first()
    assert entry is not None
    entry.action = "tampered"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.update(action="x")
