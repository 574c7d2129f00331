"""Leittext writes (OJT-12): authoring on drafts only, the learner's phases, the expert talk
before execution, the control sheet scored learner first, and nothing after the evaluation."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from leerplek.training import services_leittext
from leerplek.training.models import (
    AssignmentStatus,
    LeittextCriterion,
    LeittextPhase,
    LeittextQuestion,
    LeittextQuestionKind,
    LeittextWork,
    ModuleKind,
)
from leerplek.training.models.assignments import LeittextEffort
from leerplek.training.selectors_leittext import leittext_work_detail
from tests.factories import Cast
from tests.training.factories import approved_programme
from tests.training.factories_leittext import (
    acting,
    answer_phase,
    approve,
    approved_plan,
    coach,
    coach_scored,
    draft_leittext,
    evaluated,
    leittext_assignment,
    planned,
    scores_for,
    self_scored,
    user_of,
)

pytestmark = pytest.mark.django_db
ERRORS = services_leittext.ERRORS


def messages_of(caught: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return caught.value.message_dict


# --- Authoring -----------------------------------------------------------------------------------


def test_an_author_writes_the_leittext_of_a_draft_in_order(cast: Cast) -> None:
    module = draft_leittext(cast, questions=3, criteria=2)
    questions = list(module.leittext_questions.order_by("position"))
    assert [(q.position, q.phase) for q in questions] == [
        (1, LeittextPhase.INFORM),
        (2, LeittextPhase.INFORM),
        (3, LeittextPhase.PLAN),
    ]
    assert list(module.leittext_criteria.values_list("position", flat=True)) == [1, 2]
    module.refresh_from_db()
    assert module.problem_statement.startswith("Vrijdagavond")
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions.count("training.leittext_question_added") == 3
    assert actions.count("training.leittext_criterion_added") == 2
    assert "training.leittext_problem_changed" in actions


def test_authoring_an_approved_version_is_refused(cast: Cast) -> None:
    module = approve(draft_leittext(cast, questions=1, criteria=1))
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        services_leittext.leittext_question_add(
            module=module,
            kind=LeittextQuestionKind.PLANNING,
            phase=LeittextPhase.PLAN,
            text="Nieuwe vraag",
            by=acting(cast, Role.HR),
        )
    assert messages_of(caught) == {
        "text": [
            "Version 1 of Koude keuken is approved and never changes. Start a new draft "
            "version in the programme builder to change its Leittext."
        ]
    }
    question = module.leittext_questions.get()
    for write in (
        lambda: services_leittext.leittext_problem_set(
            module=module, problem_statement="Anders", by=acting(cast, Role.HR)
        ),
        lambda: services_leittext.leittext_question_remove(
            question=question, by=acting(cast, Role.HR)
        ),
        lambda: services_leittext.leittext_criterion_add(
            module=module, text="Nieuw", by=acting(cast, Role.HR)
        ),
        lambda: services_leittext.leittext_effort_log(
            module=module,
            worked_on=timezone.localdate(),
            minutes=30,
            note="",
            by=acting(cast, Role.HR),
        ),
    ):
        with pytest.raises(ValidationError) as refused:
            write()
        assert refused.value.error_dict[next(iter(refused.value.error_dict))][0].code == (
            "version_locked"
        )
    assert module.leittext_questions.count() == 1
    assert module.leittext_criteria.count() == 1
    assert AuditEntry.objects.count() == before


def test_only_a_leittext_module_gets_questions(cast: Cast) -> None:
    version = approved_programme(
        cast, modules=(("Saus afvullen", ModuleKind.PRACTICAL),), status="draft"
    )
    module = version.modules.get()
    with pytest.raises(ValidationError) as caught:
        services_leittext.leittext_criterion_add(
            module=module, text="Proper", by=acting(cast, Role.HR)
        )
    assert messages_of(caught) == {"text": [str(ERRORS["not_leittext"])]}
    assert not LeittextCriterion.objects.exists()


def test_a_question_needs_a_known_kind_and_phase_and_a_text(cast: Cast) -> None:
    module = draft_leittext(cast, questions=0, criteria=0)
    author = acting(cast, Role.HR)
    cases = [
        ({"kind": "riddle", "phase": "plan", "text": "x"}, "kind"),
        ({"kind": "planning", "phase": "dream", "text": "x"}, "phase"),
        ({"kind": "planning", "phase": "plan", "text": "   "}, "text"),
    ]
    for values, field in cases:
        with pytest.raises(ValidationError) as caught:
            services_leittext.leittext_question_add(module=module, by=author, **values)
        assert list(messages_of(caught)) == [field]
    assert not LeittextQuestion.objects.exists()


def test_an_instructor_authors_but_an_employee_may_not(cast: Cast) -> None:
    module = draft_leittext(cast, questions=0, criteria=0)
    services_leittext.leittext_criterion_add(
        module=module, text="Proper", by=acting(cast, Role.INSTRUCTOR)
    )
    with pytest.raises(PermissionDenied):
        services_leittext.leittext_criterion_add(
            module=module, text="Ook proper", by=acting(cast, Role.EMPLOYEE)
        )
    assert module.leittext_criteria.count() == 1


def test_moving_and_removing_keep_the_order_without_gaps(cast: Cast) -> None:
    module = draft_leittext(cast, questions=3, criteria=0)
    first, second, third = module.leittext_questions.order_by("position")
    author = acting(cast, Role.HR)
    services_leittext.leittext_question_move(question=third, direction="up", by=author)
    assert list(module.leittext_questions.order_by("position").values_list("pk", flat=True)) == [
        first.pk,
        third.pk,
        second.pk,
    ]
    # The first one cannot move further up: nothing changes.
    services_leittext.leittext_question_move(question=first, direction="up", by=author)
    with pytest.raises(ValidationError) as caught:
        services_leittext.leittext_question_move(question=first, direction="sideways", by=author)
    assert list(messages_of(caught)) == ["direction"]
    services_leittext.leittext_question_remove(question=first, by=author)
    assert list(module.leittext_questions.order_by("position").values_list("pk", "position")) == [
        (third.pk, 1),
        (second.pk, 2),
    ]
    assert AuditEntry.objects.filter(action="training.leittext_question_removed").count() == 1


def test_authoring_time_is_logged_within_bounds(cast: Cast) -> None:
    module = draft_leittext(cast, questions=0, criteria=0)
    author = acting(cast, Role.HR)
    services_leittext.leittext_effort_log(
        module=module, worked_on=timezone.localdate(), minutes=90, note="Foto's", by=author
    )
    with pytest.raises(ValidationError) as caught:
        services_leittext.leittext_effort_log(
            module=module, worked_on=timezone.localdate(), minutes=0, note="", by=author
        )
    assert messages_of(caught) == {
        "minutes": ["Enter the minutes as a whole number from 1 to 720, e.g. 45."]
    }
    with pytest.raises(ValidationError) as caught:
        services_leittext.leittext_effort_log(
            module=module,
            worked_on=timezone.localdate() + datetime.timedelta(days=1),
            minutes=10,
            note="",
            by=author,
        )
    assert list(messages_of(caught)) == ["worked_on"]
    assert list(LeittextEffort.objects.values_list("minutes", flat=True)) == [90]


# --- The learner's phases ------------------------------------------------------------------------


def test_the_learner_answers_a_phase_and_moves_on(cast: Cast) -> None:
    assignment, module = leittext_assignment(cast)
    answer_phase(cast, assignment, module, LeittextPhase.INFORM)
    view = leittext_work_detail(assignment=assignment, module=module)
    assert [row.done for row in view.phases] == [True, False, False, False, False, False]
    assert view.state.current is not None
    assert view.state.current.phase == LeittextPhase.PLAN
    assert view.state.next_step == "plan"


def test_execute_answers_are_refused_until_the_plan_is_approved(cast: Cast) -> None:
    assignment, module = leittext_assignment(cast)
    planned(cast, assignment, module)
    question = module.leittext_questions.filter(phase=LeittextPhase.EXECUTE).first()
    assert question is not None
    with pytest.raises(ValidationError) as caught:
        services_leittext.leittext_answers_save(
            assignment=assignment,
            module=module,
            phase=LeittextPhase.EXECUTE,
            answers={question.pk: "Klaar"},
            by=user_of(assignment.employee, cast),
        )
    assert messages_of(caught) == {
        "phase": [
            "Your work plan is not approved yet. Discuss it with your coach in the expert "
            "talk before you execute, check or evaluate."
        ]
    }
    work = LeittextWork.objects.get()
    assert str(question.pk) not in work.answers


def test_a_first_refused_write_leaves_no_work_behind(cast: Cast) -> None:
    assignment, module = leittext_assignment(cast)
    with pytest.raises(ValidationError):
        answer_phase(cast, assignment, module, LeittextPhase.CHECK)
    assert not LeittextWork.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="training.leittext_answer").exists()


def test_only_the_learner_writes_his_answers(cast: Cast) -> None:
    assignment, module = leittext_assignment(cast)
    with pytest.raises(PermissionDenied):
        services_leittext.leittext_answers_save(
            assignment=assignment,
            module=module,
            phase=LeittextPhase.INFORM,
            answers={},
            by=coach(cast),
        )


def test_a_question_of_another_phase_is_refused(cast: Cast) -> None:
    assignment, module = leittext_assignment(cast)
    plan_question = module.leittext_questions.filter(phase=LeittextPhase.PLAN).first()
    assert plan_question is not None
    with pytest.raises(ValidationError) as caught:
        services_leittext.leittext_answers_save(
            assignment=assignment,
            module=module,
            phase=LeittextPhase.INFORM,
            answers={plan_question.pk: "Eerst koelen"},
            by=user_of(assignment.employee, cast),
        )
    assert messages_of(caught) == {
        "answers": [f"These questions are not questions of the phase Inform: {plan_question.pk}."]
    }


def test_the_plan_and_what_led_to_it_stay_as_approved(cast: Cast) -> None:
    assignment, module = leittext_assignment(cast)
    approved_plan(cast, assignment, module)
    learner = user_of(assignment.employee, cast)
    with pytest.raises(ValidationError) as caught:
        services_leittext.leittext_plan_save(
            assignment=assignment, module=module, work_plan="Alles anders", by=learner
        )
    assert list(messages_of(caught)) == ["work_plan"]
    assert caught.value.error_dict["work_plan"][0].code == "plan_approved"
    with pytest.raises(ValidationError) as caught:
        answer_phase(cast, assignment, module, LeittextPhase.INFORM, text="Anders")
    assert caught.value.error_dict["phase"][0].code == "plan_frozen"
    work = LeittextWork.objects.get()
    assert work.work_plan.startswith("1. Bakken koelen")


def test_an_empty_work_plan_is_refused(cast: Cast) -> None:
    assignment, module = leittext_assignment(cast)
    with pytest.raises(ValidationError) as caught:
        services_leittext.leittext_plan_save(
            assignment=assignment,
            module=module,
            work_plan="  ",
            by=user_of(assignment.employee, cast),
        )
    assert messages_of(caught) == {"work_plan": [str(ERRORS["plan_required"])]}


# --- The expert talk -----------------------------------------------------------------------------


def test_the_expert_talk_needs_a_work_plan(cast: Cast) -> None:
    assignment, module = leittext_assignment(cast)
    answer_phase(cast, assignment, module, LeittextPhase.INFORM)
    with pytest.raises(ValidationError) as caught:
        services_leittext.leittext_expert_talk(
            assignment=assignment,
            module=module,
            talk_on=timezone.localdate(),
            approve=True,
            note="",
            by=coach(cast),
        )
    assert messages_of(caught) == {
        "decision": ["There is no work plan to discuss yet: Employee Employee writes it first."]
    }
    assert LeittextWork.objects.get().plan_approved_at is None


def test_the_coach_sends_the_plan_back_with_what_must_change(cast: Cast) -> None:
    assignment, module = leittext_assignment(cast)
    planned(cast, assignment, module)
    with pytest.raises(ValidationError) as caught:
        services_leittext.leittext_expert_talk(
            assignment=assignment,
            module=module,
            talk_on=timezone.localdate(),
            approve=False,
            note="",
            by=coach(cast),
        )
    assert list(messages_of(caught)) == ["note"]
    work = services_leittext.leittext_expert_talk(
        assignment=assignment,
        module=module,
        talk_on=timezone.localdate(),
        approve=False,
        note="Eerst de temperatuur meten.",
        by=coach(cast),
    )
    assert work.plan_approved_at is None
    assert work.talk_note == "Eerst de temperatuur meten."
    # The learner rewrites the plan, and the next talk approves it.
    services_leittext.leittext_plan_save(
        assignment=assignment,
        module=module,
        work_plan="0. Temperatuur meten\n1. Bakken koelen",
        by=user_of(assignment.employee, cast),
    )
    work = services_leittext.leittext_expert_talk(
        assignment=assignment,
        module=module,
        talk_on=timezone.localdate(),
        approve=True,
        note="",
        by=coach(cast),
    )
    assert work.plan_approved_by == cast.user(Role.MENTOR)
    assert AuditEntry.objects.filter(action="training.leittext_plan_returned").count() == 1
    assert AuditEntry.objects.filter(action="training.leittext_plan_approved").count() == 1


def test_the_talk_date_lies_between_the_start_and_today(cast: Cast) -> None:
    assignment, module = leittext_assignment(cast, started_days_ago=3)
    planned(cast, assignment, module)
    for talk_on, code in (
        (timezone.localdate() + datetime.timedelta(days=1), "future_date"),
        (timezone.localdate() - datetime.timedelta(days=10), "talk_before_start"),
    ):
        with pytest.raises(ValidationError) as caught:
            services_leittext.leittext_expert_talk(
                assignment=assignment,
                module=module,
                talk_on=talk_on,
                approve=True,
                note="",
                by=coach(cast),
            )
        assert caught.value.error_dict["expert_talk_on"][0].code == code
    assert LeittextWork.objects.get().expert_talk_on is None


def test_a_learner_does_not_approve_his_own_plan(cast: Cast) -> None:
    """HR may coach anyone, but not his own Leittext."""
    assignment, module = leittext_assignment(cast, employee=cast.employees[Role.HR])
    planned(cast, assignment, module)
    with pytest.raises(ValidationError) as caught:
        services_leittext.leittext_expert_talk(
            assignment=assignment,
            module=module,
            talk_on=timezone.localdate(),
            approve=True,
            note="",
            by=acting(cast, Role.HR),
        )
    assert messages_of(caught) == {"decision": [str(ERRORS["own_coach"])]}


def test_someone_without_a_hand_in_the_programme_cannot_approve(cast: Cast) -> None:
    assignment, module = leittext_assignment(cast)
    planned(cast, assignment, module)
    with pytest.raises(PermissionDenied):
        services_leittext.leittext_expert_talk(
            assignment=assignment,
            module=module,
            talk_on=timezone.localdate(),
            approve=True,
            note="",
            by=acting(cast, Role.INSTRUCTOR),
        )


# --- The control sheet ---------------------------------------------------------------------------


def test_the_coach_cannot_score_before_the_learner(cast: Cast) -> None:
    assignment, module = leittext_assignment(cast)
    approved_plan(cast, assignment, module)
    with pytest.raises(ValidationError) as caught:
        services_leittext.leittext_coach_score(
            assignment=assignment, module=module, scores=scores_for(module, [3]), by=coach(cast)
        )
    assert messages_of(caught) == {
        "scores": [
            "Employee Employee scores the control sheet first; then you score the same criteria."
        ]
    }
    assert LeittextWork.objects.get().coach_scores == {}


def test_the_learner_scores_only_after_the_approval(cast: Cast) -> None:
    assignment, module = leittext_assignment(cast)
    planned(cast, assignment, module)
    with pytest.raises(ValidationError) as caught:
        services_leittext.leittext_learner_score(
            assignment=assignment,
            module=module,
            scores=scores_for(module, [3]),
            by=user_of(assignment.employee, cast),
        )
    assert caught.value.error_dict["scores"][0].code == "plan_not_approved"


def test_a_score_outside_1_to_5_is_refused(cast: Cast) -> None:
    assignment, module = leittext_assignment(cast)
    approved_plan(cast, assignment, module)
    scores = scores_for(module, [3])
    first = next(iter(scores))
    scores[first] = 6
    with pytest.raises(ValidationError) as caught:
        services_leittext.leittext_learner_score(
            assignment=assignment,
            module=module,
            scores=scores,
            by=user_of(assignment.employee, cast),
        )
    name = LeittextCriterion.objects.get(pk=first).text
    assert messages_of(caught) == {"scores": [f"Scores run from 1 to 5; check {name}."]}
    work = LeittextWork.objects.get()
    assert work.learner_scores == {}
    assert work.learner_scored_at is None


def test_every_criterion_is_scored(cast: Cast) -> None:
    assignment, module = leittext_assignment(cast)
    approved_plan(cast, assignment, module)
    scores = scores_for(module, [3])
    missing = scores.popitem()[0]
    with pytest.raises(ValidationError) as caught:
        services_leittext.leittext_learner_score(
            assignment=assignment,
            module=module,
            scores=scores,
            by=user_of(assignment.employee, cast),
        )
    name = LeittextCriterion.objects.get(pk=missing).text
    assert messages_of(caught) == {
        "scores": [f"Score every criterion of the control sheet from 1 to 5; missing: {name}."]
    }


def test_the_sheet_shows_both_scores_and_their_differences(cast: Cast) -> None:
    assignment, module = leittext_assignment(cast)
    self_scored(cast, assignment, module, values=[4, 5, 3])
    services_leittext.leittext_coach_score(
        assignment=assignment, module=module, scores=scores_for(module, [4, 3, 2]), by=coach(cast)
    )
    view = leittext_work_detail(assignment=assignment, module=module)
    assert [(row.learner, row.coach, row.tone) for row in view.sheet] == [
        (4, 4, "same"),
        (5, 3, "far"),
        (3, 2, "differs"),
    ]
    assert view.differences == 2
    assert str(view.learner_average) == "4.0"
    assert str(view.coach_average) == "3.0"


def test_the_learner_keeps_his_scores_once_the_coach_scored(cast: Cast) -> None:
    assignment, module = leittext_assignment(cast)
    coach_scored(cast, assignment, module)
    with pytest.raises(ValidationError) as caught:
        services_leittext.leittext_learner_score(
            assignment=assignment,
            module=module,
            scores=scores_for(module, [1]),
            by=user_of(assignment.employee, cast),
        )
    assert caught.value.error_dict["scores"][0].code == "coach_scored"
    assert set(LeittextWork.objects.get().learner_scores.values()) == {3, 4, 5}


# --- Evaluation and the rest ---------------------------------------------------------------------


def test_the_evaluation_follows_the_control_sheet(cast: Cast) -> None:
    assignment, module = leittext_assignment(cast)
    self_scored(cast, assignment, module)
    with pytest.raises(ValidationError) as caught:
        services_leittext.leittext_evaluate(
            assignment=assignment, module=module, note="Goed", by=coach(cast)
        )
    assert messages_of(caught) == {"evaluation_note": [str(ERRORS["sheet_first"])]}
    assert LeittextWork.objects.get().evaluated_at is None


def test_nobody_changes_the_work_after_the_evaluation(cast: Cast) -> None:
    assignment, module = leittext_assignment(cast)
    evaluated(cast, assignment, module)
    learner = user_of(assignment.employee, cast)
    before = AuditEntry.objects.count()
    writes = [
        lambda: answer_phase(cast, assignment, module, LeittextPhase.EXECUTE, text="Later"),
        lambda: services_leittext.leittext_learner_score(
            assignment=assignment, module=module, scores=scores_for(module, [1]), by=learner
        ),
        lambda: services_leittext.leittext_time_log(
            assignment=assignment, module=module, minutes=10, by=learner
        ),
        lambda: services_leittext.leittext_error_add(
            assignment=assignment, module=module, error="a", cause="b", remedy="c", by=learner
        ),
        lambda: services_leittext.leittext_coach_score(
            assignment=assignment, module=module, scores=scores_for(module, [1]), by=coach(cast)
        ),
        lambda: services_leittext.leittext_evaluate(
            assignment=assignment, module=module, note="Toch anders", by=coach(cast)
        ),
    ]
    for write in writes:
        with pytest.raises(ValidationError) as caught:
            write()
        (errors,) = caught.value.error_dict.values()
        assert errors[0].code == "evaluated"
    work = LeittextWork.objects.get()
    assert work.evaluation_note == "Goed voorbereid; let op het proper werkblad."
    assert work.minutes_spent == 0
    assert AuditEntry.objects.count() == before
    view = leittext_work_detail(assignment=assignment, module=module)
    assert all(row.done for row in view.phases)
    assert view.state.next_step == "evaluated"


def test_the_learner_logs_his_time(cast: Cast) -> None:
    assignment, module = leittext_assignment(cast)
    learner = user_of(assignment.employee, cast)
    services_leittext.leittext_time_log(
        assignment=assignment, module=module, minutes=45, by=learner
    )
    work = services_leittext.leittext_time_log(
        assignment=assignment, module=module, minutes=30, by=learner
    )
    assert work.minutes_spent == 75
    with pytest.raises(ValidationError) as caught:
        services_leittext.leittext_time_log(
            assignment=assignment, module=module, minutes=721, by=learner
        )
    assert list(messages_of(caught)) == ["minutes"]
    assert LeittextWork.objects.get().minutes_spent == 75


def test_an_error_needs_its_cause_and_remedy(cast: Cast) -> None:
    assignment, module = leittext_assignment(cast)
    approved_plan(cast, assignment, module)
    learner = user_of(assignment.employee, cast)
    with pytest.raises(ValidationError) as caught:
        services_leittext.leittext_error_add(
            assignment=assignment,
            module=module,
            error="Saus te koud",
            cause="",
            remedy="Eerst opwarmen",
            by=learner,
        )
    assert messages_of(caught) == {"cause": [str(ERRORS["error_required"])]}
    work = services_leittext.leittext_error_add(
        assignment=assignment,
        module=module,
        error="Saus te koud",
        cause="Te vroeg uit de koeling",
        remedy="Pas op het laatste uitnemen",
        by=learner,
    )
    assert [entry["cause"] for entry in work.error_log] == ["Te vroeg uit de koeling"]


def test_a_stopped_programme_takes_no_more_work(cast: Cast) -> None:
    assignment, module = leittext_assignment(cast)
    assignment.status = AssignmentStatus.STOPPED
    assignment.save(update_fields=["status"])
    with pytest.raises(ValidationError) as caught:
        answer_phase(cast, assignment, module, LeittextPhase.INFORM)
    assert messages_of(caught) == {
        "phase": ["This programme is stopped; its Leittext work no longer changes."]
    }


def test_a_module_outside_the_learners_version_is_refused(cast: Cast) -> None:
    assignment, _module = leittext_assignment(cast)
    other = approve(draft_leittext(cast, code="ANDER", questions=1, criteria=0))
    with pytest.raises(ValidationError) as caught:
        services_leittext.leittext_plan_save(
            assignment=assignment,
            module=other,
            work_plan="Plan",
            by=user_of(assignment.employee, cast),
        )
    assert caught.value.error_dict["work_plan"][0].code == "module_not_in_programme"


def test_every_step_is_audited(cast: Cast) -> None:
    assignment, module = leittext_assignment(cast)
    last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    evaluated(cast, assignment, module)
    actions = list(
        AuditEntry.objects.filter(id__gt=last).order_by("id").values_list("action", flat=True)
    )
    assert actions == [
        "training.leittext_answered",
        "training.leittext_answered",
        "training.leittext_answered",
        "training.leittext_plan_written",
        "training.leittext_plan_approved",
        "training.leittext_answered",
        "training.leittext_answered",
        "training.leittext_learner_scored",
        "training.leittext_coach_scored",
        "training.leittext_answered",
        "training.leittext_evaluated",
    ]
    work = LeittextWork.objects.get()
    assert AuditEntry.objects.filter(
        object_type="training.LeittextWork", object_id=str(work.pk)
    ).count() == len(actions)
