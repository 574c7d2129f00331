"""Guidance services: ending and replacing guides, coaching, programmes, instructor selection.

Each refusal names the field and leaves nothing half-written.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from leerplek.onboarding import services_guidance as services
from leerplek.onboarding.models import (
    Guidance,
    GuidanceKind,
    GuidanceStatus,
    MentorProgramme,
    SelectionOutcome,
)
from tests.factories import Cast
from tests.onboarding.factories import colleague, designate, start, templates
from tests.onboarding.factories_guidance import (
    coaching,
    mentorship,
    programme,
    selection,
    today,
)

pytestmark = pytest.mark.django_db


def code_of(error: pytest.ExceptionInfo[ValidationError], field: str) -> str:
    return str(error.value.error_dict[field][0].code)


def peter_plan(cast: Cast) -> tuple[Guidance, object]:
    templates(cast)
    plan = start(cast)
    return designate(cast, plan, colleague(cast)), plan


# --- Ending -------------------------------------------------------------------------------------


def test_ending_records_the_day_and_the_reason(cast: Cast) -> None:
    guidance, _ = peter_plan(cast)
    ended = services.guidance_end(
        guidance=guidance, by=cast.user(Role.HR), ends_on=today(), reason="Moved to the night shift"
    )
    assert ended.status == GuidanceStatus.CLOSED
    assert ended.ends_on == today()
    assert ended.end_reason == "Moved to the night shift"
    assert AuditEntry.objects.filter(action="onboarding.guidance_ended").count() == 1


@pytest.mark.parametrize(
    ("days", "reason", "field", "code"),
    [
        (0, "", "reason", "reason_required"),
        (1, "x", "ends_on", "future_date"),
        (-400, "x", "ends_on", "end_before_start"),
    ],
)
def test_ending_is_refused_with_the_problem_named(
    cast: Cast, days: int, reason: str, field: str, code: str
) -> None:
    guidance, _ = peter_plan(cast)
    with pytest.raises(ValidationError) as error:
        services.guidance_end(
            guidance=guidance,
            by=cast.user(Role.HR),
            ends_on=today() + datetime.timedelta(days=days),
            reason=reason,
        )
    assert code_of(error, field) == code
    guidance.refresh_from_db()
    assert guidance.status == GuidanceStatus.ACTIVE
    assert guidance.ends_on is None


def test_an_ended_guidance_cannot_end_again(cast: Cast) -> None:
    guidance, _ = peter_plan(cast)
    services.guidance_end(guidance=guidance, by=cast.user(Role.HR), reason="Left the team")
    with pytest.raises(ValidationError) as error:
        services.guidance_end(guidance=guidance, by=cast.user(Role.HR), reason="Again")
    assert code_of(error, "__all__") == "not_active"


# --- Replacing and promoting ----------------------------------------------------------------------


def test_replacing_ends_the_old_and_starts_the_new_the_same_day(cast: Cast) -> None:
    old, plan = peter_plan(cast)
    newcomer = colleague(cast)
    new = services.guidance_replace(
        guidance=old, guide=newcomer, by=cast.user(Role.HR), reason="Long sick leave"
    )
    old.refresh_from_db()
    assert old.status == GuidanceStatus.CLOSED
    assert old.ends_on == today()
    assert new.guide == newcomer
    assert new.starts_on == today()
    assert new.onboarding == plan
    assert new.kind == GuidanceKind.MENTOR
    assert not new.is_backup
    assert old.end_reason == "Long sick leave"


@override_settings(
    LEERPLEK={**__import__("django.conf").conf.settings.LEERPLEK, "MAX_MENTEES_DEFAULT": 1}
)
def test_replacing_by_a_full_guide_writes_nothing(cast: Cast) -> None:
    old, _ = peter_plan(cast)
    busy = colleague(cast)
    other_plan = start(cast, employee=colleague(cast))
    designate(cast, other_plan, busy)
    with pytest.raises(ValidationError) as error:
        services.guidance_replace(guidance=old, guide=busy, by=cast.user(Role.HR), reason="x")
    assert code_of(error, "guide") == "guide_full"
    old.refresh_from_db()
    assert old.status == GuidanceStatus.ACTIVE
    assert old.ends_on is None
    assert Guidance.objects.filter(learner=old.learner).count() == 1


def test_replacing_by_the_same_guide_or_the_learner_is_refused(cast: Cast) -> None:
    old, _ = peter_plan(cast)
    with pytest.raises(ValidationError) as error:
        services.guidance_replace(guidance=old, guide=old.guide, by=cast.user(Role.HR), reason="x")
    assert code_of(error, "guide") == "same_guide"
    with pytest.raises(ValidationError) as error:
        services.guidance_replace(
            guidance=old, guide=old.learner, by=cast.user(Role.HR), reason="x"
        )
    assert code_of(error, "guide") == "own_guide"
    with pytest.raises(ValidationError) as error:
        services.guidance_replace(guidance=old, guide=colleague(cast), by=cast.user(Role.HR))
    assert code_of(error, "reason") == "reason_required"


def test_a_second_active_peter_is_refused(cast: Cast) -> None:
    old, _ = peter_plan(cast)
    with pytest.raises(ValidationError) as error:
        services.guidance_start(
            learner=old.learner,
            guide=colleague(cast),
            kind=GuidanceKind.MENTOR,
            by=cast.user(Role.HR),
        )
    assert code_of(error, "is_backup") == "primary_exists"


def test_the_backup_is_promoted(cast: Cast) -> None:
    primary, plan = peter_plan(cast)
    backup = designate(cast, plan, colleague(cast), is_backup=True)  # type: ignore[arg-type]
    promoted = services.backup_promote(backup=backup, by=cast.user(Role.HR))
    primary.refresh_from_db()
    backup.refresh_from_db()
    assert primary.status == backup.status == GuidanceStatus.CLOSED
    assert promoted.guide == backup.guide
    assert not promoted.is_backup
    assert promoted.onboarding == plan
    current = Guidance.objects.current().filter(learner=primary.learner, ends_on__isnull=True)
    assert list(current) == [promoted]


def test_only_a_backup_is_promoted(cast: Cast) -> None:
    primary, _ = peter_plan(cast)
    with pytest.raises(ValidationError) as error:
        services.backup_promote(backup=primary, by=cast.user(Role.HR))
    assert code_of(error, "__all__") == "not_backup"


# --- Mentorship and instruction -------------------------------------------------------------------


def test_instruction_needs_a_target_and_coaching_a_request(cast: Cast) -> None:
    learner, guide = colleague(cast), colleague(cast)
    with pytest.raises(ValidationError) as error:
        services.guidance_start(
            learner=learner, guide=guide, kind=GuidanceKind.INSTRUCTOR, by=cast.user(Role.HR)
        )
    assert code_of(error, "target_result") == "target_required"
    with pytest.raises(ValidationError) as error:
        services.guidance_start(
            learner=learner, guide=guide, kind=GuidanceKind.COACH, by=cast.user(Role.HR)
        )
    assert code_of(error, "kind") == "coaching_by_request"
    guidance = services.guidance_start(
        learner=learner,
        guide=guide,
        kind=GuidanceKind.INSTRUCTOR,
        by=cast.user(Role.HR),
        target_result="Runs the filler alone",
        planned_end=today() + datetime.timedelta(days=60),
    )
    assert guidance.status == GuidanceStatus.ACTIVE
    assert guidance.target_result


def test_a_mentorship_joins_an_active_programme_only(cast: Cast) -> None:
    scheme = programme(cast)
    guidance = services.guidance_start(
        learner=colleague(cast),
        guide=colleague(cast),
        kind=GuidanceKind.LONG_TERM_GUIDE,
        by=cast.user(Role.HR),
        programme=scheme,
    )
    assert guidance.programme == scheme
    scheme = services.programme_update(programme=scheme, by=cast.user(Role.HR), is_active=False)
    other = mentorship(cast)
    with pytest.raises(ValidationError) as error:
        services.guidance_set_programme(guidance=other, programme=scheme, by=cast.user(Role.HR))
    assert code_of(error, "programme") == "programme_inactive"


def test_coaching_cannot_join_a_programme(cast: Cast) -> None:
    engagement = coaching(cast, accept=True)
    with pytest.raises(ValidationError) as error:
        services.guidance_set_programme(
            guidance=engagement, programme=programme(cast), by=cast.user(Role.HR)
        )
    assert code_of(error, "programme") == "programme_kind"


# --- Coaching -------------------------------------------------------------------------------------


def test_a_coaching_request_waits_for_the_coach(cast: Cast) -> None:
    request = coaching(cast)
    assert request.status == GuidanceStatus.REQUESTED
    assert request.requested_by == cast.user(Role.HR)
    # Not accepted yet: the coach guides nobody.
    assert not Guidance.objects.current().filter(pk=request.pk).exists()
    accepted = services.coaching_answer(guidance=request, by=cast.user(Role.COACH), accept=True)
    assert accepted.status == GuidanceStatus.ACTIVE
    assert accepted.answered_at is not None
    assert Guidance.objects.current().filter(pk=request.pk).exists()
    assert AuditEntry.objects.filter(action="onboarding.coaching_accepted").count() == 1


@pytest.mark.parametrize(
    ("target", "weeks", "field", "code"),
    [
        ("", 4, "target_result", "target_required"),
        ("Sets up alone", None, "planned_end", "planned_end_required"),
        ("Sets up alone", 0, "planned_end", "planned_end_before_start"),
    ],
)
def test_a_coaching_request_needs_a_target_and_a_planned_end(
    cast: Cast, target: str, weeks: int | None, field: str, code: str
) -> None:
    with pytest.raises(ValidationError) as error:
        services.coaching_request(
            learner=colleague(cast),
            coach=cast.employees[Role.COACH],
            by=cast.user(Role.HR),
            target_result=target,
            planned_end=None if weeks is None else today() + datetime.timedelta(weeks=weeks),
            starts_on=today(),
        )
    assert code_of(error, field) == code
    assert not Guidance.objects.filter(kind=GuidanceKind.COACH).exists()


def test_one_open_coaching_per_learner_and_not_oneself(cast: Cast) -> None:
    learner = colleague(cast)
    coaching(cast, learner=learner)
    with pytest.raises(ValidationError) as error:
        coaching(cast, learner=learner, coach=colleague(cast))
    assert code_of(error, "coach") == "coaching_open"
    assert "already has a coaching engagement" in error.value.messages[0]
    with pytest.raises(ValidationError) as error:
        coaching(cast, learner=cast.employees[Role.COACH])
    assert code_of(error, "coach") == "own_guide"


def test_declining_needs_a_reason_and_frees_the_learner(cast: Cast) -> None:
    request = coaching(cast)
    with pytest.raises(ValidationError) as error:
        services.coaching_answer(guidance=request, by=cast.user(Role.COACH), accept=False)
    assert code_of(error, "reason") == "decline_reason"
    declined = services.coaching_answer(
        guidance=request, by=cast.user(Role.COACH), accept=False, reason="Busy with the audit"
    )
    assert declined.status == GuidanceStatus.DECLINED
    assert declined.ends_on == today()
    with pytest.raises(ValidationError) as error:
        services.coaching_answer(guidance=declined, by=cast.user(Role.COACH), accept=True)
    assert code_of(error, "__all__") == "not_requested"
    # The learner may ask someone else now.
    assert coaching(cast, learner=request.learner, coach=colleague(cast)).pk


def test_closing_a_coaching_records_the_outcome(cast: Cast) -> None:
    engagement = coaching(cast, accept=True)
    with pytest.raises(ValidationError) as error:
        services.guidance_end(guidance=engagement, by=cast.user(Role.COACH))
    assert code_of(error, "outcome") == "outcome_required"
    with pytest.raises(ValidationError) as error:
        services.guidance_end(
            guidance=engagement, by=cast.user(Role.COACH), outcome="Alone in 25 min"
        )
    assert code_of(error, "target_reached") == "target_reached_required"
    closed = services.guidance_end(
        guidance=engagement,
        by=cast.user(Role.COACH),
        outcome="Alone in 18 min",
        target_reached=True,
    )
    assert closed.status == GuidanceStatus.CLOSED
    assert closed.target_reached is True
    assert closed.end_reason == "Alone in 18 min"


def test_a_long_coaching_is_flagged() -> None:
    start_day = datetime.date(2026, 1, 31)
    assert not services.coaching_is_long(start_day, datetime.date(2026, 4, 30))
    assert services.coaching_is_long(start_day, datetime.date(2026, 5, 1))


# --- Mentor programmes ----------------------------------------------------------------------------


def test_a_programme_needs_a_sponsor_and_a_unique_name(cast: Cast) -> None:
    with pytest.raises(ValidationError) as error:
        services.programme_create(
            organisation=cast.organisation,
            by=cast.user(Role.HR),
            name="Leaders",
            goals="Grow",
            sponsor=None,
            starts_on=today(),
        )
    assert code_of(error, "sponsor") == "sponsor_required"
    programme(cast, name="Leaders")
    with pytest.raises(ValidationError) as error:
        programme(cast, name="leaders ")
    assert code_of(error, "name") == "programme_exists"
    with pytest.raises(ValidationError) as error:
        services.programme_create(
            organisation=cast.organisation,
            by=cast.user(Role.HR),
            name="Other",
            goals="Grow",
            sponsor=cast.other_employee,
            starts_on=today(),
        )
    assert code_of(error, "sponsor") == "other_organisation"
    assert MentorProgramme.objects.count() == 1


def test_a_programme_is_updated(cast: Cast) -> None:
    scheme = programme(cast)
    with pytest.raises(ValidationError) as error:
        services.programme_update(
            programme=scheme, by=cast.user(Role.HR), ends_on=today() - datetime.timedelta(days=1)
        )
    assert code_of(error, "ends_on") == "end_before_start"
    services.programme_update(programme=scheme, by=cast.user(Role.HR), agreements="Monthly talk")
    scheme.refresh_from_db()
    assert scheme.agreements == "Monthly talk"
    assert scheme.ends_on is None


# --- Instructor selection -------------------------------------------------------------------------


def test_a_candidate_not_retained_needs_a_feedback_conversation(cast: Cast) -> None:
    record = selection(cast)
    hr = cast.user(Role.HR)
    with pytest.raises(ValidationError) as error:
        services.selection_decide(selection=record, by=hr, outcome=SelectionOutcome.NOT_RETAINED)
    assert code_of(error, "feedback_conversation_on") == "feedback_date_required"
    with pytest.raises(ValidationError) as error:
        services.selection_decide(
            selection=record,
            by=hr,
            outcome=SelectionOutcome.NOT_RETAINED,
            feedback_conversation_on=today(),
        )
    assert code_of(error, "feedback_note") == "feedback_note_required"
    record.refresh_from_db()
    assert record.outcome == SelectionOutcome.PENDING
    decided = services.selection_decide(
        selection=record,
        by=hr,
        outcome=SelectionOutcome.NOT_RETAINED,
        feedback_conversation_on=today(),
        feedback_note="Strong operator; the assessment showed he takes over instead of explaining.",
    )
    assert decided.outcome == SelectionOutcome.NOT_RETAINED
    assert decided.decided_by == hr


def test_a_decision_needs_an_assessment_and_is_final(cast: Cast) -> None:
    record = selection(cast, assessed=False)
    hr = cast.user(Role.HR)
    with pytest.raises(ValidationError) as error:
        services.selection_decide(selection=record, by=hr, outcome=SelectionOutcome.SELECTED)
    assert code_of(error, "outcome") == "assessment_required"
    services.selection_update(selection=record, by=hr, assessment="Calm, explains well")
    services.selection_decide(selection=record, by=hr, outcome=SelectionOutcome.SELECTED)
    with pytest.raises(ValidationError) as error:
        services.selection_decide(selection=record, by=hr, outcome=SelectionOutcome.NOT_RETAINED)
    assert code_of(error, "outcome") == "selection_decided"
    with pytest.raises(ValidationError) as error:
        services.selection_update(selection=record, by=hr, assessment="changed")
    assert code_of(error, "__all__") == "selection_decided"


def test_one_open_selection_per_candidate(cast: Cast) -> None:
    record = selection(cast)
    with pytest.raises(ValidationError) as error:
        selection(cast, candidate=record.candidate)
    assert code_of(error, "candidate") == "selection_open"
