"""The demo organisations and the scale data set: what they hold, and that rebuilding is safe."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from leerplek.core.access import load_access
from leerplek.core.models import AuditEntry, RoleGrant
from leerplek.core.roles import Role
from leerplek.demo.builder import (
    ADMIN_EMAIL,
    DEMO_PASSWORD,
    DEMO_URL,
    DEMO_USERS,
    SCALE_HR_EMAIL,
    TRANSPORT_HR_EMAIL,
)
from leerplek.people.models import (
    Employee,
    ExitReason,
    Job,
    JobAssignment,
    Organisation,
    OrgUnit,
    PersonType,
    User,
    Workstation,
)

pytestmark = pytest.mark.django_db


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def table_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Organisation,
            OrgUnit,
            Job,
            Workstation,
            Employee,
            JobAssignment,
            User,
            RoleGrant,
            AuditEntry,
        )
    }


def food() -> Organisation:
    return Organisation.objects.get(name="Voedingsbedrijf X")


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: object) -> Iterator[str]:
    """The demo, built once for this module (a build takes seconds: every write goes through the
    services) inside a transaction rolled back at the end; each test runs in a savepoint."""
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        yield run_demo()
        transaction.set_rollback(True)


def test_demo_builds_two_organisations_with_every_person_type(demo: str) -> None:
    assert set(Organisation.objects.values_list("name", flat=True)) == {
        "Voedingsbedrijf X",
        "Transportbedrijf X",
    }
    people = Employee.objects.filter(organisation=food())
    assert 110 <= people.count() <= 130
    assert set(people.values_list("person_type", flat=True)) == set(PersonType.values)
    assert people.filter(exit_date__isnull=False).exclude(exit_reason="").count() >= 5
    assert people.filter(exit_reason=ExitReason.RETIREMENT).exists()
    assert people.filter(dutch_level__in=["none", "A1", "A2"]).count() >= 5
    # About 25 staff, plus the 40 drivers hired over two years for the onboarding results.
    assert 15 <= Employee.objects.filter(organisation__name="Transportbedrijf X").count() <= 80


def test_demo_food_company_has_the_brochure_structure(demo: str) -> None:
    org = food()
    assert (org.joint_committee, org.training_fund) == ("118", "Alimento")
    packaging = OrgUnit.objects.get(organisation=org, name="Verpakking")
    shifts = set(packaging.children.values_list("name", flat=True))
    assert shifts == {"Vroege ploeg", "Late ploeg", "Nachtploeg"}
    assert Workstation.objects.filter(organisation=org, name="Kookketel 1").exists()
    assert Job.objects.filter(organisation=org).count() >= 15
    assert not OrgUnit.objects.filter(organisation=org, depth__lte=1, leader__isnull=True).exists()


def test_demo_has_a_user_with_a_person_record_for_every_role(demo: str) -> None:
    assert {role for role, _email in DEMO_USERS} == set(Role)
    for role, email in DEMO_USERS:
        user = User.objects.get(email=email)
        assert user.check_password(DEMO_PASSWORD), email
        assert Employee.objects.filter(organisation=food(), user=user).exists(), email
        grants = RoleGrant.objects.filter(organisation=food(), user=user)
        if role is not Role.EMPLOYEE:
            assert list(grants.values_list("role", flat=True)) == [role.value]


def test_demo_manager_is_scoped_to_packaging_and_the_others_org_wide(demo: str) -> None:
    scoped = RoleGrant.objects.filter(organisation=food(), unit__isnull=False)
    assert list(scoped.values_list("role", "unit__name")) == [(Role.MANAGER, "Verpakking")]


def test_demo_admin_belongs_to_both_organisations(demo: str) -> None:
    admin = User.objects.get(email=ADMIN_EMAIL)
    assert admin.is_superuser
    assert admin.is_staff
    orgs = set(RoleGrant.objects.filter(user=admin).values_list("organisation__name", flat=True))
    assert orgs == {"Voedingsbedrijf X", "Transportbedrijf X"}
    transport_hr = User.objects.get(email=TRANSPORT_HR_EMAIL)
    assert transport_hr.current_organisation == Organisation.objects.get(slug="transportbedrijf-x")


def test_demo_prints_every_login_and_the_url_when_built_and_when_present(demo: str) -> None:
    for output in (demo, run_demo()):
        assert DEMO_URL in output
        for _role, email in DEMO_USERS:
            assert email in output
        assert TRANSPORT_HR_EMAIL in output
        assert DEMO_PASSWORD in output


def test_demo_writes_through_the_services_so_the_audit_log_has_content(demo: str) -> None:
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "people.unit_created",
        "people.job_created",
        "people.workstation_created",
        "people.employee_created",
        "people.job_assigned",
    } <= actions
    reasons = set(
        JobAssignment.objects.filter(employee__organisation=food()).values_list("reason", flat=True)
    )
    assert {"hire", "reorganisation", "promotion"} <= reasons


def test_running_demo_twice_changes_nothing(demo: str) -> None:
    before = table_counts()

    output = run_demo()

    assert table_counts() == before
    assert "Built" not in output


# Personnel numbers repeat across the two organisations: a total order needs more keys
# (PostgreSQL returns ties in any order).
STABLE_ORDER = ("organisation__slug", "employee_number", "last_name", "first_name")


def test_reset_rebuilds_the_same_people_and_keeps_the_audit_log(demo: str) -> None:
    names = list(Employee.objects.order_by(*STABLE_ORDER).values_list("first_name", "last_name"))
    audit_before = AuditEntry.objects.count()

    run_demo("--reset")

    again = list(Employee.objects.order_by(*STABLE_ORDER).values_list("first_name", "last_name"))
    assert again == names
    assert AuditEntry.objects.count() > audit_before
    assert AuditEntry.objects.filter(action="demo.organisation_deleted").count() == 2
    assert Organisation.objects.count() == 2


# These tests are about people and units; the training rows have their own scale test.
NO_TRAINING = ["--instructions", "0", "--programme-assignments", "0", "--certificates", "0"]


def test_small_scale_run_gives_correct_unit_paths() -> None:
    output = run_demo(
        "--scale",
        "--people",
        "500",
        "--units",
        "20",
        "--functions",
        "40",
        "--workstations",
        "50",
        *NO_TRAINING,
    )

    org = Organisation.objects.get(name="Schaal NV")
    units = list(OrgUnit.objects.filter(organisation=org).select_related("parent"))
    assert len(units) == 20
    for unit in units:
        parent_path = unit.parent.path if unit.parent else "/"
        assert unit.path == f"{parent_path}{unit.pk}/"
        assert unit.depth == unit.path.count("/") - 2
    assert max(unit.depth for unit in units) >= 3
    assert Employee.objects.filter(organisation=org).count() == 500
    assert Job.objects.filter(organisation=org).count() == 40
    assert Workstation.objects.filter(organisation=org).count() == 50
    assert AuditEntry.objects.filter(organisation_id=org.pk).count() == 1
    assert "Schaal NV" in output


def test_scale_people_report_to_their_unit_leader() -> None:
    run_demo(
        "--scale",
        "--people",
        "300",
        "--units",
        "20",
        "--functions",
        "10",
        "--workstations",
        "20",
        *NO_TRAINING,
    )

    org = Organisation.objects.get(name="Schaal NV")
    leaders = dict(OrgUnit.objects.filter(organisation=org).values_list("pk", "leader_id"))
    assert None not in leaders.values()
    for unit_id, manager_id, pk in Employee.objects.filter(organisation=org).values_list(
        "unit_id", "manager_id", "pk"
    ):
        assert manager_id != pk
        if leaders[unit_id] != pk:
            assert manager_id == leaders[unit_id]
    hr = User.objects.get(email=SCALE_HR_EMAIL)
    assert RoleGrant.objects.filter(user=hr, organisation=org, role=Role.HR, unit=None).exists()


def test_demo_tells_the_onboarding_stories(demo: str) -> None:
    from leerplek.onboarding.models import Guidance, Onboarding
    from leerplek.onboarding.selectors import compliance

    driver = Onboarding.objects.get(employee__first_name="Kevin", employee__last_name="Claes")
    peter = Guidance.objects.get(learner=driver.employee, is_backup=False)
    assert peter.guide.job == driver.employee.job  # a senior driver rides along
    assert peter.guide.phone
    assert driver.tasks.filter(done_on__isnull=False).count() >= 3
    assert driver.tasks.filter(done_on__isnull=True).exists()
    employee_login = Employee.objects.get(organisation=food(), user__email__startswith="employee@")
    # The demo peter/meter log-in guides her, with a backup from her shift, and so sees her.
    primary = Guidance.objects.get(learner=employee_login, is_backup=False)
    assert primary.guide.user is not None
    assert primary.guide.user.email.startswith("mentor@")
    assert Guidance.objects.filter(learner=employee_login, is_backup=True).exists()
    mentor = primary.guide.user
    mentor.access = load_access(mentor, food().pk)
    assert mentor.has_perm("people.view_employee", employee_login)
    # One newcomer already at work has no peter/meter (the compliance story); the three packers
    # who start next week wait for the matching proposal.
    missing = compliance(organisation=food()).missing
    started = [plan for plan in missing if plan.start_date <= datetime.date.today()]
    assert len(started) == 1
    assert started[0].employee.user_id is None
    assert len(missing) - len(started) == 3
