"""The plan's writes: lines, needs and how they are met, the consultation's deadline rules, and
the transfer follow-ups. Refusals name the field and leave nothing behind."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from leerplek.competences.models import NeedStatus
from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from leerplek.registration import services_plan
from leerplek.registration.models import (
    Activity,
    ActivityStatus,
    NeedResolution,
    PlanLine,
    PlanStatus,
    SubmittedNeed,
    TrainingPlan,
    TransferFollowUp,
)
from tests.factories import Cast
from tests.registration.factories import activity, person
from tests.registration.factories_plan import (
    acting,
    competence,
    gap_need,
    in_consultation,
    plan_with_lines,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def states(plan: TrainingPlan | None, today: datetime.date, year: int = 2026) -> dict[str, str]:
    return {
        step.key: step.state for step in services_plan.deadlines(year=year, plan=plan, today=today)
    }


# --- Lines ------------------------------------------------------------------------------------


def test_a_line_needs_a_target_group_and_known_risk_groups(cast: Cast) -> None:
    plan, _forklift, _kettle = plan_with_lines(cast)
    hr = acting(cast, Role.HR)
    entries = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        services_plan.line_add(plan=plan, by=hr, title="VCA", category="formal", target_group="")
    assert error.value.message_dict == {
        "target_group": ["Say for whom: the law asks the target group of each training."]
    }
    with pytest.raises(ValidationError) as error:
        services_plan.line_add(
            plan=plan, by=hr, title="VCA", category="formal", target_group="Iedereen",
            risk_groups=["astronauts"],
        )  # fmt: skip
    assert error.value.message_dict == {"risk_groups": ["Choose the risk groups from the list."]}
    with pytest.raises(ValidationError) as error:
        services_plan.line_add(
            plan=plan, by=hr, title="VCA", category="formal", target_group="Iedereen",
            planned_hours="1.234",
        )  # fmt: skip
    assert list(error.value.message_dict) == ["planned_hours"]
    assert plan.lines.count() == 2
    assert AuditEntry.objects.count() == entries


def test_changing_a_line_keeps_its_history(cast: Cast) -> None:
    _plan, forklift, _kettle = plan_with_lines(cast)
    services_plan.line_update(
        line=forklift, by=acting(cast, Role.HR), planned_participants=8, planned_cost="2400.00"
    )
    entry = AuditEntry.objects.get(action="registration.plan_line_changed")
    assert entry.object_id == str(forklift.pk)
    assert entry.before == {"planned_participants": 6, "planned_cost": "1800.00"}
    assert entry.after == {"planned_participants": 8, "planned_cost": "2400.00"}


def test_one_plan_per_year_and_only_hr_starts_one(cast: Cast) -> None:
    plan_with_lines(cast)
    with pytest.raises(ValidationError) as error:
        services_plan.plan_create(
            organisation=cast.organisation, by=acting(cast, Role.HR), year=2026
        )
    assert error.value.message_dict == {"year": ["This year already has a training plan."]}
    with pytest.raises(PermissionDenied):
        services_plan.plan_create(
            organisation=cast.organisation, by=acting(cast, Role.MANAGER), year=2027
        )


# --- Needs ------------------------------------------------------------------------------------


def test_a_need_says_what_and_for_whom(cast: Cast) -> None:
    employee = acting(cast, Role.EMPLOYEE)
    with pytest.raises(ValidationError) as error:
        services_plan.need_submit(
            organisation=cast.organisation, by=employee, year=2027, description="  "
        )
    assert error.value.message_dict == {"description": ["Say what should be learnt."]}
    with pytest.raises(ValidationError) as error:
        services_plan.need_submit(
            organisation=cast.organisation, by=employee, year=2027, description="Excel"
        )
    assert error.value.message_dict == {
        "target_group": ["Say for whom: a group, a unit or a person."]
    }
    assert not SubmittedNeed.objects.exists()


def test_the_source_follows_the_role(cast: Cast) -> None:
    need = services_plan.need_submit(
        organisation=cast.organisation,
        by=acting(cast, Role.CONSULTATION),
        year=2027,
        description="Taalcursus Nederlands",
        target_group="Anderstalige operatoren",
    )
    assert need.source == "representative"
    with pytest.raises(ValidationError) as error:
        services_plan.need_submit(
            organisation=cast.organisation,
            by=acting(cast, Role.EMPLOYEE),
            year=2027,
            description="Taalcursus",
            target_group="Ploeg B",
            source="representative",
        )
    assert error.value.message_dict == {
        "source": ["You cannot put a need forward as Employee representatives."]
    }
    assert SubmittedNeed.objects.count() == 1


def test_a_need_cannot_name_another_organisations_person(cast: Cast) -> None:
    with pytest.raises(ValidationError) as error:
        services_plan.need_submit(
            organisation=cast.organisation,
            by=acting(cast, Role.HR),
            year=2027,
            description="Excel",
            employee=cast.other_employee,
        )
    assert error.value.message_dict == {"employee": ["Choose one from this organisation."]}


def test_the_competence_type_suggests_the_form(cast: Cast) -> None:
    welding = competence(cast, "LAS", "Lassen", kind="technical")
    cooperation = competence(cast, "SAM", "Samenwerken", kind="general")
    technical = services_plan.suggest_form(welding)
    general = services_plan.suggest_form(cooperation)
    assert technical is not None
    assert technical.form == "external"
    assert "off the job" in technical.reason
    assert general is not None
    assert general.form == "on_the_job"
    assert "on the job" in general.reason
    assert services_plan.suggest_form(None) is None


def test_resolving_a_gap_need_plans_it_and_keeps_the_suggestion(cast: Cast) -> None:
    _plan, forklift, kettle = plan_with_lines(cast)
    need = gap_need(cast, cast.worker, competence(cast, "SAM", "Samenwerken", kind="general"))
    resolution = services_plan.need_resolve(
        need=need, by=acting(cast, Role.HR), learning_form="external", plan_line=forklift
    )
    need.refresh_from_db()
    assert need.status == NeedStatus.PLANNED
    assert (resolution.suggested_form, resolution.learning_form) == ("on_the_job", "external")
    assert resolution.overridden
    again = services_plan.need_resolve(
        need=need, by=acting(cast, Role.HR), learning_form="mentoring", plan_line=kettle
    )
    assert again.pk == resolution.pk
    assert NeedResolution.objects.get().plan_line == kettle


def test_a_need_resolves_only_into_its_own_organisations_plan(cast: Cast) -> None:
    _plan, forklift, _kettle = plan_with_lines(cast)
    assert cast.other_hr is not None
    assert cast.other_organisation is not None
    other = services_plan.plan_create(organisation=cast.other_organisation, by=None, year=2026)
    foreign = PlanLine.objects.create(plan=other, title="X", category="formal", target_group="Y")
    need = services_plan.need_submit(
        organisation=cast.organisation,
        by=acting(cast, Role.HR),
        year=2026,
        description="Excel",
        target_group="Kantoor",
    )
    with pytest.raises(ValidationError) as error:
        services_plan.need_resolve(
            need=need, by=acting(cast, Role.HR), learning_form="external", plan_line=foreign
        )
    assert error.value.message_dict == {"plan_line": ["Choose a line of this organisation's plan."]}
    with pytest.raises(ValidationError) as error:
        services_plan.need_resolve(need=need, by=acting(cast, Role.HR), learning_form="course")
    assert list(error.value.message_dict) == ["learning_form"]
    assert not NeedResolution.objects.exists()
    assert forklift.resolutions.count() == 0


# --- Consultation and deadlines ---------------------------------------------------------------


def test_a_draft_shared_less_than_15_days_before_the_meeting_is_refused(cast: Cast) -> None:
    plan, _f, _k = plan_with_lines(cast)
    with pytest.raises(ValidationError) as error:
        services_plan.plan_share(
            plan=plan,
            by=acting(cast, Role.HR),
            body="works_council",
            shared_on=D(2026, 2, 1),
            meeting_on=D(2026, 2, 10),
        )
    assert error.value.message_dict == {
        "meeting_on": [
            "The draft goes to the body at least 15 days before the meeting: with the draft "
            "shared on 01/02/2026, meet on 16/02/2026 or later."
        ]
    }
    plan.refresh_from_db()
    assert (plan.status, plan.shared_on, plan.meeting_on) == (PlanStatus.DRAFT, None, None)


def test_the_draft_days_come_from_the_settings(cast: Cast, settings: object) -> None:
    settings.LEERPLEK = {**settings.LEERPLEK, "PLAN_DRAFT_DAYS_BEFORE_MEETING": 5}  # type: ignore[attr-defined]
    plan, _f, _k = plan_with_lines(cast)
    plan = services_plan.plan_share(
        plan=plan,
        by=acting(cast, Role.HR),
        body="union_delegation",
        shared_on=D(2026, 2, 1),
        meeting_on=D(2026, 2, 10),
    )
    assert plan.status == PlanStatus.IN_CONSULTATION


def test_the_consultation_in_order_with_its_deadlines(cast: Cast) -> None:
    plan, _f, _k = plan_with_lines(cast)
    hr = acting(cast, Role.HR)
    with pytest.raises(ValidationError) as error:
        services_plan.plan_in_force(plan=plan, by=hr, in_force_on=D(2026, 3, 20))
    assert error.value.message_dict == {"in_force_on": ["Share the plan with the body first."]}
    with pytest.raises(ValidationError) as error:
        services_plan.comment_add(plan=plan, by=acting(cast, Role.CONSULTATION), text="Vroeg")
    assert error.value.message_dict == {"text": ["The plan is not shared with the body yet."]}
    in_consultation(cast, plan)
    services_plan.comment_add(
        plan=plan, by=acting(cast, Role.CONSULTATION), text="Meer aandacht voor 50-plussers."
    )
    with pytest.raises(ValidationError) as error:
        services_plan.plan_in_force(plan=plan, by=hr, in_force_on=D(2026, 3, 20))
    assert error.value.message_dict == {
        "in_force_on": ["Record the body's advice before the plan enters into force."]
    }
    with pytest.raises(ValidationError) as error:
        services_plan.advice_record(plan=plan, by=hr, advice="Ok", advice_on=D(2026, 1, 5))
    assert error.value.message_dict == {
        "advice_on": ["The advice cannot come before the draft was shared."]
    }
    services_plan.advice_record(plan=plan, by=hr, advice="Positief.", advice_on=D(2026, 3, 18))
    with pytest.raises(ValidationError) as error:
        services_plan.plan_in_force(plan=plan, by=hr, in_force_on=D(2026, 2, 19))
    assert error.value.message_dict == {
        "in_force_on": ["The plan cannot be in force before the meeting."]
    }
    services_plan.plan_in_force(plan=plan, by=hr, in_force_on=D(2026, 3, 25))
    with pytest.raises(ValidationError) as error:
        services_plan.plan_filed(plan=plan, by=hr, filed_on=D(2026, 3, 1))
    assert list(error.value.message_dict) == ["filed_on"]
    services_plan.plan_filed(plan=plan, by=hr, filed_on=D(2026, 4, 30))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.FILED
    # Advice on 18 March is after 15 March: late; filing by 25 April (a month after 25 March)
    # was missed by five days: late too.
    assert states(plan, D(2026, 5, 1)) == {
        "shared": "done",
        "advice": "late",
        "in_force": "done",
        "filed": "late",
    }
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "registration.plan_shared",
        "registration.plan_commented",
        "registration.plan_advice",
        "registration.plan_in_force",
        "registration.plan_filed",
    } <= actions


def test_deadlines_warn_ahead_and_turn_overdue(cast: Cast) -> None:
    plan, _f, _k = plan_with_lines(cast, year=2026)
    # 14 warning days: on 5 March the advice (15 March) is near, the plan in force (31 March)
    # not yet; sharing (28 February: 15 days before 15 March, no meeting set) is overdue.
    assert states(plan, D(2026, 3, 5)) == {
        "shared": "overdue",
        "advice": "soon",
        "in_force": "open",
        "filed": "open",
    }
    assert states(plan, D(2026, 3, 20))["in_force"] == "soon"
    assert states(plan, D(2026, 1, 2))["shared"] == "open"
    assert states(plan, D(2026, 4, 2))["in_force"] == "overdue"
    warnings = services_plan.plan_deadline_warnings(cast.organisation, D(2026, 3, 5))
    assert [step.key for step in warnings] == ["shared", "advice"]


def test_the_share_deadline_follows_the_meeting(cast: Cast) -> None:
    plan, _f, _k = plan_with_lines(cast)
    plan.meeting_on = D(2026, 3, 10)
    steps = services_plan.deadlines(year=2026, plan=plan, today=D(2026, 1, 1))
    assert steps[0].due == D(2026, 2, 23)


def test_without_a_plan_a_small_organisation_gets_no_warning(cast: Cast) -> None:
    assert services_plan.plan_deadline_warnings(cast.organisation, D(2026, 3, 5)) == []
    for number in range(20):
        person(cast, f"P{number}")
    warnings = services_plan.plan_deadline_warnings(cast.organisation, D(2026, 3, 5))
    assert [step.key for step in warnings] == ["shared", "advice"]


def test_a_month_after_the_31st_is_the_last_day_of_the_next_month() -> None:
    assert services_plan.add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert services_plan.add_months(D(2028, 1, 31), 1) == D(2028, 2, 29)
    assert services_plan.add_months(D(2026, 12, 15), 1) == D(2027, 1, 15)


# --- Transfer follow-up -----------------------------------------------------------------------


def test_followups_are_made_once_for_completed_formal_courses(cast: Cast) -> None:
    ann, bart = person(cast, "Ann", "f"), person(cast, "Bart")
    course = activity(
        cast, "Heftruck", on=D(2026, 3, 2), participants=[(ann, "7.60"), (bart, "7.60")]
    )
    activity(cast, "Meedraaien", category="informal", on=D(2026, 3, 2), participants=[(ann, 8)])
    activity(cast, "Info", on=D(2026, 3, 2), exclusion="policy_info", participants=[(bart, 2)])
    activity(cast, "Later", on=D(2026, 6, 1), participants=[(ann, 4)])
    activity(cast, "Gepland", on=D(2026, 3, 2), status="planned", participants=[(bart, 4)])
    draft = activity(cast, "Ontwerp", on=D(2026, 3, 2), participants=[(bart, 4)])
    Activity.objects.filter(pk=draft.pk).update(status=ActivityStatus.DRAFT)
    assert services_plan.transfer_followups_create(today=D(2026, 4, 1)) == 2
    assert services_plan.transfer_followups_create(today=D(2026, 4, 1)) == 0
    rows = TransferFollowUp.objects.order_by("participation__employee__first_name")
    assert [row.participation.activity_id for row in rows] == [course.pk, course.pk]
    assert {row.due_on for row in rows} == {D(2026, 4, 13)}  # 2 March + 6 weeks
    out = StringIO()
    call_command("registration_transfer_followups", "--today", "2026-07-01", stdout=out)
    assert out.getvalue().strip() == "1 new transfer follow-ups"


def test_recording_an_outcome_needs_a_note_and_stays_in_scope(cast: Cast) -> None:
    inside = person(cast, "Ann", "f", unit=cast.packaging)
    outside = person(cast, "Olaf", unit=cast.office)
    activity(cast, "Heftruck", on=D(2026, 3, 2), participants=[(inside, 7), (outside, 7)])
    services_plan.transfer_followups_create(today=D(2026, 4, 1))
    mine = TransferFollowUp.objects.get(participation__employee=inside)
    theirs = TransferFollowUp.objects.get(participation__employee=outside)
    manager = acting(cast, Role.MANAGER)
    with pytest.raises(ValidationError) as error:
        services_plan.transfer_record(
            followup=mine, by=manager, status="applied", on=D(2026, 4, 20)
        )
    assert error.value.message_dict == {
        "manager_note": ["Write how the course is applied at work, or why not."]
    }
    services_plan.transfer_record(
        followup=mine,
        by=manager,
        status="partly",
        employee_note="Ik rijd nu zelf de paletten weg.",
        manager_note="Nog begeleiding bij het laden.",
        on=D(2026, 4, 20),
    )
    mine.refresh_from_db()
    assert (mine.status, mine.recorded_on) == ("partly", D(2026, 4, 20))
    with pytest.raises(PermissionDenied):
        services_plan.transfer_record(
            followup=theirs, by=manager, status="applied", manager_note="x", on=D(2026, 4, 20)
        )
    theirs.refresh_from_db()
    assert theirs.status == "open"
