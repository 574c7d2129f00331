"""A learner's programme: assigning, the dated plan, the two-party sign-off with its hash, the
competences and instructions a confirmed module records, revoking, completion and TWI sessions."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from leerplek.competences.models import Assessment, AssessmentMethod
from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from leerplek.training import services_learning
from leerplek.training.models import (
    AssignmentStatus,
    Attempt,
    InstructionHolder,
    ModuleCompetence,
    ModuleInstruction,
    ModulePlan,
    Phase,
    ProgrammeAssignment,
    Signoff,
    Test,
    TestKind,
    TestStatus,
    VersionStatus,
)
from tests.factories import Cast
from tests.training.factories import approved_instruction, approved_programme
from tests.training.factories_leittext import acting, learner, user_of
from tests.training.factories_programmes import competence, level

pytestmark = pytest.mark.django_db
ERRORS = services_learning.ERRORS


def assign(cast: Cast, version=None, **fields):  # type: ignore[no-untyped-def]
    version = version or approved_programme(cast)
    fields.setdefault("guide", cast.employees[Role.MENTOR])
    fields.setdefault("started_on", timezone.localdate() - datetime.timedelta(days=30))
    return services_learning.assignment_create(
        version=version, employee=learner(cast), by=acting(cast, Role.HR), **fields
    )


def declare(cast: Cast, assignment: ProgrammeAssignment, module=None) -> Signoff:  # type: ignore[no-untyped-def]
    module = module or assignment.version.modules.get(kind="practical")
    return services_learning.signoff_declare(
        assignment=assignment,
        module=module,
        by=user_of(assignment.employee, cast),
        checklist=module.checklist.values_list("pk", flat=True),
        note="Gelukt",
    )


def confirm(cast: Cast, signoff: Signoff, role: Role = Role.MENTOR) -> Signoff:
    return services_learning.signoff_confirm(
        signoff=signoff,
        by=acting(cast, role),
        checklist=signoff.module.checklist.values_list("pk", flat=True),
    )


def errors(caught: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return caught.value.message_dict


# --- Assigning -----------------------------------------------------------------------------------


def test_assigning_plans_every_module_one_after_the_other(cast: Cast) -> None:
    version = approved_programme(cast)
    first_phase = version.phases.get()
    Phase.objects.create(version=version, position=2, title="Later", starts_after_days=60)
    later = version.modules.create(
        phase=version.phases.get(position=2), position=1, title="Zelfstandig", kind="practical"
    )
    start = datetime.date(2026, 3, 2)
    assignment = assign(cast, version, started_on=start)
    plans = {p.module.title: p for p in ModulePlan.objects.filter(assignment=assignment)}
    assert plans["Basiskennis procestechnieken"].planned_start == start
    assert plans["Saus afvullen"].planned_start == start + datetime.timedelta(days=1)
    # The later phase waits for its time gate.
    assert plans[later.title].planned_start == start + datetime.timedelta(days=60)
    assert first_phase.modules.count() == 2
    assert AuditEntry.objects.filter(action="training.programme_assigned").count() == 1


def test_only_an_approved_version_is_assigned(cast: Cast) -> None:
    draft = approved_programme(cast, status=VersionStatus.DRAFT)
    with pytest.raises(ValidationError) as caught:
        assign(cast, draft)
    assert "version" in errors(caught)
    assert not ProgrammeAssignment.objects.exists()


def test_a_learner_is_not_his_own_guide_nor_follows_a_programme_twice(cast: Cast) -> None:
    version = approved_programme(cast)
    with pytest.raises(ValidationError) as caught:
        assign(cast, version, guide=learner(cast))
    assert errors(caught)["guide"] == [str(ERRORS["guide_is_learner"])]
    assign(cast, version)
    with pytest.raises(ValidationError) as caught:
        assign(cast, version)
    assert "already follows" in errors(caught)["employee"][0]
    assert ProgrammeAssignment.objects.count() == 1


def test_a_worker_cannot_assign_programmes(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        services_learning.assignment_create(
            version=approved_programme(cast),
            employee=learner(cast),
            by=acting(cast, Role.EMPLOYEE),
            started_on=timezone.localdate(),
        )


# --- Two-party sign-off --------------------------------------------------------------------------


def test_the_learner_declares_and_his_peter_confirms_with_a_hash(cast: Cast) -> None:
    assignment = assign(cast)
    signoff = declare(cast, assignment)
    assert signoff.confirmed_at is None
    assert [row["learner"] for row in signoff.checklist] == [True, True]
    confirmed = confirm(cast, signoff)
    assert confirmed.confirmer == cast.employees[Role.MENTOR]
    assert confirmed.capacity == "mentor"
    assert len(confirmed.content_hash) == 64
    assert confirmed.content_hash == services_learning.content_hash(confirmed)
    assert all(row["confirmer"] for row in confirmed.checklist)
    plan = ModulePlan.objects.get(assignment=assignment, module=signoff.module)
    assert plan.done_on == timezone.localdate()
    assert plan.actual_start == timezone.localdate()
    # Any change to what was signed gives another hash.
    confirmed.version_number = 2
    assert services_learning.content_hash(confirmed) != signoff.content_hash
    assert hashlib.sha256(b"").hexdigest() != signoff.content_hash


def test_nobody_confirms_his_own_module(cast: Cast) -> None:
    # The learner is also the line manager of his team here: still not his own second party.
    assignment = services_learning.assignment_create(
        version=approved_programme(cast),
        employee=cast.employees[Role.MANAGER],
        by=acting(cast, Role.HR),
        started_on=timezone.localdate(),
    )
    module = assignment.version.modules.get(kind="practical")
    signoff = services_learning.signoff_declare(
        assignment=assignment,
        module=module,
        by=acting(cast, Role.MANAGER),
        checklist=module.checklist.values_list("pk", flat=True),
    )
    with pytest.raises(ValidationError) as caught:
        confirm(cast, signoff, role=Role.MANAGER)
    assert errors(caught)["confirmed_by"] == [str(ERRORS["self_confirm"])]
    signoff.refresh_from_db()
    assert signoff.confirmed_at is None


def test_only_the_learner_declares(cast: Cast) -> None:
    assignment = assign(cast)
    module = assignment.version.modules.get(kind="practical")
    with pytest.raises(ValidationError) as caught:
        services_learning.signoff_declare(
            assignment=assignment,
            module=module,
            by=acting(cast, Role.MENTOR),
            checklist=module.checklist.values_list("pk", flat=True),
        )
    assert "declared_by" in errors(caught)
    assert not Signoff.objects.exists()


def test_the_checklist_must_be_ticked_whole(cast: Cast) -> None:
    assignment = assign(cast)
    module = assignment.version.modules.get(kind="practical")
    first = module.checklist.order_by("position").first()
    assert first is not None
    with pytest.raises(ValidationError) as caught:
        services_learning.signoff_declare(
            assignment=assignment,
            module=module,
            by=user_of(learner(cast), cast),
            checklist=[first.pk],
        )
    assert "Deksel dicht" in errors(caught)["checklist"][0]
    signoff = declare(cast, assignment)
    with pytest.raises(ValidationError) as caught:
        services_learning.signoff_confirm(
            signoff=signoff, by=acting(cast, Role.MENTOR), checklist=[first.pk]
        )
    assert "Deksel dicht" in errors(caught)["checklist"][0]


def test_a_module_of_an_unapproved_version_cannot_be_signed(cast: Cast) -> None:
    assignment = assign(cast)
    type(assignment.version).objects.filter(pk=assignment.version_id).update(
        status=VersionStatus.DRAFT
    )
    assignment.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        declare(cast, assignment)
    assert "version" in errors(caught)


def test_prerequisites_and_time_gates_hold_a_module_back(cast: Cast) -> None:
    version = approved_programme(cast)
    practical = version.modules.get(kind="practical")
    practical.prerequisites.add(version.modules.get(kind="elearning"))
    assignment = assign(cast, version)
    with pytest.raises(ValidationError) as caught:
        declare(cast, assignment)
    assert "Basiskennis procestechnieken" in errors(caught)["module"][0]
    Phase.objects.filter(pk=practical.phase_id).update(starts_after_days=90)
    elearning = version.modules.get(kind="elearning")
    with pytest.raises(ValidationError) as caught:
        declare(cast, assignment, elearning)
    assert "90" in errors(caught)["module"][0]


def test_a_confirmed_module_records_competences_and_instructions(cast: Cast) -> None:
    instruction = approved_instruction(cast)
    version = approved_programme(cast, instruction=instruction)
    practical = version.modules.get(kind="practical")
    ModuleCompetence.objects.create(
        module=practical, competence=competence(cast), level=level(cast)
    )
    assert ModuleInstruction.objects.filter(module=practical).exists()
    assignment = assign(cast, version)
    confirm(cast, declare(cast, assignment))
    assessment = Assessment.objects.get(employee=learner(cast))
    assert assessment.method == AssessmentMethod.MODULE_SIGNOFF
    assert assessment.level == level(cast)
    assert assessment.assessor == cast.employees[Role.MENTOR]
    holder = InstructionHolder.objects.get(employee=learner(cast))
    assert holder.instruction == instruction


def test_completion_needs_every_module_and_the_final_test(cast: Cast) -> None:
    version = approved_programme(cast)
    final = Test.objects.create(
        organisation=cast.organisation,
        title="Eindtoets",
        kind=TestKind.QUESTIONNAIRE,
        status=TestStatus.PUBLISHED,
        programme=version.programme,
        is_final=True,
    )
    assignment = assign(cast, version)
    for module in version.modules.all():
        confirm(cast, declare(cast, assignment, module))
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACTIVE
    assert services_learning.open_final_tests(assignment) == [final]
    Attempt.objects.create(
        organisation=cast.organisation,
        test=final,
        employee=assignment.employee,
        assignment=assignment,
        number=1,
        passed=True,
    )
    assert services_learning.complete_if_done(assignment=assignment, by=acting(cast, Role.HR))
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.COMPLETED
    assert assignment.completed_on == timezone.localdate()


def test_revoking_needs_a_reason_and_opens_the_programme_again(cast: Cast) -> None:
    version = approved_programme(cast, modules=(("Saus afvullen", "practical"),))
    assignment = assign(cast, version)
    signoff = confirm(cast, declare(cast, assignment))
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.COMPLETED
    with pytest.raises(ValidationError) as caught:
        services_learning.signoff_revoke(signoff=signoff, by=acting(cast, Role.HR), reason=" ")
    assert "revoke_reason" in errors(caught)
    with pytest.raises(PermissionDenied):
        services_learning.signoff_revoke(
            signoff=signoff, by=acting(cast, Role.MENTOR), reason="Fout"
        )
    services_learning.signoff_revoke(
        signoff=signoff, by=acting(cast, Role.HR), reason="Stap 2 niet gezien"
    )
    signoff.refresh_from_db()
    assert signoff.revoked_at is not None
    assert signoff.content_hash  # the signature stays, marked revoked
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACTIVE
    assert ModulePlan.objects.get(assignment=assignment).done_on is None
    entry = AuditEntry.objects.get(action="training.signoff_revoked")
    assert "Stap 2 niet gezien" in str(entry.after)
    # The module can be declared again.
    declare(cast, assignment)


def test_a_confirmed_signoff_cannot_be_confirmed_twice(cast: Cast) -> None:
    signoff = confirm(cast, declare(cast, assign(cast)))
    with pytest.raises(ValidationError) as caught:
        confirm(cast, signoff)
    assert "signoff" in errors(caught)


# --- TWI sessions --------------------------------------------------------------------------------


def test_a_twi_session_plans_tapering_checks(cast: Cast) -> None:
    assignment = assign(cast)
    module = assignment.version.modules.get(kind="practical")
    held = timezone.localdate() - datetime.timedelta(days=2)
    session = services_learning.teaching_session_record(
        assignment=assignment,
        module=module,
        by=acting(cast, Role.MENTOR),
        held_on=held,
        instructor=cast.employees[Role.MENTOR],
        prepared=True,
        go_to_person=cast.employees[Role.MANAGER],
    )
    gaps = [(check.due_on - held).days for check in session.checks.order_by("due_on")]
    assert gaps == [1, 3, 7, 14, 30]
    check = session.checks.order_by("due_on").first()
    assert check is not None
    services_learning.followup_check_done(check=check, by=acting(cast, Role.MENTOR), note="Goed")
    check.refresh_from_db()
    assert check.done_on == timezone.localdate()
    with pytest.raises(ValidationError):
        services_learning.followup_check_done(check=check, by=acting(cast, Role.MENTOR))


def test_a_session_refuses_checks_before_it_and_the_learner_as_teacher(cast: Cast) -> None:
    assignment = assign(cast)
    module = assignment.version.modules.get(kind="practical")
    held = timezone.localdate() - datetime.timedelta(days=2)
    with pytest.raises(ValidationError) as caught:
        services_learning.teaching_session_record(
            assignment=assignment,
            module=module,
            by=acting(cast, Role.MENTOR),
            held_on=held,
            instructor=cast.employees[Role.MENTOR],
            check_dates=[held - datetime.timedelta(days=1)],
        )
    assert "check_dates" in errors(caught)
    with pytest.raises(ValidationError) as caught:
        services_learning.teaching_session_record(
            assignment=assignment,
            module=module,
            by=acting(cast, Role.MENTOR),
            held_on=held,
            instructor=learner(cast),
        )
    assert "instructor" in errors(caught)
    assert not assignment.teaching_sessions.exists()
