"""The Leittext pages: authoring, the learner's phone page, the coach's page, who sees what,
refusals on the page, the sections on shared pages and query counts."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from leerplek.core.access import load_access
from leerplek.core.roles import Role
from leerplek.training import views_leittext
from leerplek.training.forms_leittext import score_field_name
from leerplek.training.models import (
    LeittextPhase,
    LeittextQuestion,
    LeittextWork,
    ProgrammeAssignment,
)
from tests.factories import Cast
from tests.training.factories_leittext import (
    approve,
    approved_plan,
    coach_scored,
    draft_leittext,
    evaluated,
    leittext_assignment,
    planned,
    self_scored,
)

pytestmark = pytest.mark.django_db


def work_url(name: str, assignment: ProgrammeAssignment, module: Any) -> str:
    return reverse(name, kwargs={"assignment_id": assignment.pk, "module_id": module.pk})


# --- Authoring -----------------------------------------------------------------------------------


def test_an_author_adds_a_question_on_the_page(cast: Cast, client_for: Any) -> None:
    module = draft_leittext(cast, questions=1, criteria=0)
    client = client_for(cast.user(Role.INSTRUCTOR))
    page = client.get(reverse("training:leittext-edit", args=[module.pk])).content.decode()
    assert "Add a question" in page
    assert "Welke voorgerechten staan op de kaart? (1)" in page
    response = client.post(
        reverse("training:leittext-question-add", args=[module.pk]),
        {"new-kind": "planning", "new-phase": "plan", "new-text": "Wat eerst, wat daarna?"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#leittext-questions")
    assert module.leittext_questions.filter(text="Wat eerst, wat daarna?", position=2).exists()


def test_a_question_without_text_comes_back_with_the_message(cast: Cast, client_for: Any) -> None:
    module = draft_leittext(cast, questions=0, criteria=0)
    response = client_for(cast.user(Role.HR)).post(
        reverse("training:leittext-question-add", args=[module.pk]),
        {"new-kind": "planning", "new-phase": "plan", "new-text": ""},
    )
    assert response.status_code == 422
    assert "Write the question, e.g." in response.content.decode()
    assert not LeittextQuestion.objects.exists()


def test_an_approved_version_is_shown_read_only_and_refuses_changes(
    cast: Cast, client_for: Any
) -> None:
    module = approve(draft_leittext(cast, questions=2, criteria=1))
    client = client_for(cast.user(Role.HR))
    page = client.get(reverse("training:leittext-edit", args=[module.pk])).content.decode()
    assert "is no longer a draft and never changes" in page
    assert "Add a question" not in page
    question = module.leittext_questions.order_by("position").first()
    assert question is not None
    response = client.post(
        reverse("training:leittext-question-edit", args=[question.pk]),
        {
            f"q{question.pk}-kind": "steering",
            f"q{question.pk}-phase": "plan",
            f"q{question.pk}-text": "x",
        },
    )
    assert response.status_code == 422
    assert "Start a new draft version in the programme builder" in response.content.decode()
    question.refresh_from_db()
    assert question.text != "x"
    assert (
        client.get(reverse("training:leittext-question-edit", args=[question.pk])).status_code
        == 302
    )


def test_moving_a_criterion_returns_to_it(cast: Cast, client_for: Any) -> None:
    module = draft_leittext(cast, questions=0, criteria=2)
    first, second = module.leittext_criteria.order_by("position")
    client = client_for(cast.user(Role.HR))
    response = client.post(
        reverse("training:leittext-criterion-move", args=[second.pk]), {"direction": "up"}
    )
    assert response["Location"].endswith(f"#criterion-{second.pk}")
    assert list(module.leittext_criteria.order_by("position").values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
    ]
    refused = client.post(reverse("training:leittext-criterion-move", args=[second.pk]), {})
    assert refused.status_code == 422
    assert "Move the item up or down." in refused.content.decode()


def test_only_authors_open_the_authoring_page(cast: Cast, client_for: Any) -> None:
    module = draft_leittext(cast, questions=0, criteria=0)
    url = reverse("training:leittext-edit", args=[module.pk])
    assert client_for(cast.user(Role.MANAGER)).get(url).status_code == 403
    assert client_for(cast.user(Role.INSTRUCTOR)).get(url).status_code == 200


def test_a_module_of_another_kind_has_no_leittext_page(cast: Cast, client_for: Any) -> None:
    from tests.training.factories import approved_programme

    version = approved_programme(cast, status="draft")
    module = version.modules.first()
    assert module is not None
    response = client_for(cast.user(Role.HR)).get(
        reverse("training:leittext-edit", args=[module.pk])
    )
    assert response.status_code == 404


def test_the_authoring_page_keeps_its_query_count(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(cast.user(Role.HR))
    small = draft_leittext(cast, code="S", questions=2, criteria=1)
    large = draft_leittext(cast, code="L", questions=36, criteria=12)
    with django_assert_max_num_queries(20) as first:
        assert client.get(reverse("training:leittext-edit", args=[small.pk])).status_code == 200
    count = len(first.captured_queries)
    with django_assert_max_num_queries(count) as second:
        assert client.get(reverse("training:leittext-edit", args=[large.pk])).status_code == 200
    assert len(second.captured_queries) == count


# --- The learner's page --------------------------------------------------------------------------


def test_the_learner_sees_where_he_is_and_answers(cast: Cast, client_for: Any) -> None:
    assignment, module = leittext_assignment(cast)
    client = client_for(cast.user(Role.EMPLOYEE))
    url = work_url("training:leittext-work", assignment, module)
    page = client.get(url).content.decode()
    assert "Now: 1. Inform." in page
    assert 'aria-current="step"' in page
    assert "Opens once your work plan is approved in the expert talk." in page
    ids = list(
        module.leittext_questions.filter(phase=LeittextPhase.INFORM).values_list("pk", flat=True)
    )
    response = client.post(
        work_url("training:leittext-answer", assignment, module),
        {"phase": "inform", **{f"answer_{pk}": "Carpaccio en soep" for pk in ids}},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#phase-inform")
    work = LeittextWork.objects.get()
    assert work.answers == {str(pk): "Carpaccio en soep" for pk in ids}
    assert "Now: 2. Plan." in client.get(url).content.decode()


def test_executing_before_the_approval_is_refused_on_the_page(cast: Cast, client_for: Any) -> None:
    assignment, module = leittext_assignment(cast)
    planned(cast, assignment, module)
    question = module.leittext_questions.filter(phase=LeittextPhase.EXECUTE).first()
    assert question is not None
    response = client_for(cast.user(Role.EMPLOYEE)).post(
        work_url("training:leittext-answer", assignment, module),
        {"phase": "execute", f"answer_{question.pk}": "Gedaan"},
    )
    assert response.status_code == 422
    assert "Your work plan is not approved yet." in response.content.decode()
    assert str(question.pk) not in LeittextWork.objects.get().answers


def test_others_cannot_write_the_learners_work(cast: Cast, client_for: Any) -> None:
    assignment, module = leittext_assignment(cast)
    response = client_for(cast.user(Role.MENTOR)).post(
        work_url("training:leittext-plan", assignment, module), {"work_plan": "Mijn plan"}
    )
    assert response.status_code == 403
    assert not LeittextWork.objects.exists()


def test_the_learners_link_sends_a_reader_to_the_coach_page(cast: Cast, client_for: Any) -> None:
    assignment, module = leittext_assignment(cast)
    url = work_url("training:leittext-work", assignment, module)
    response = client_for(cast.user(Role.HR)).get(url)
    assert response.status_code == 302
    assert response["Location"] == work_url("training:leittext-review", assignment, module)
    colleague = client_for(cast.user(Role.KNOWLEDGE_MANAGER)).get(url).content.decode()
    assert "This is someone else's Leittext" in colleague
    assert "Employee Employee" not in colleague


def test_the_learner_scores_the_sheet_after_the_approval(cast: Cast, client_for: Any) -> None:
    assignment, module = leittext_assignment(cast)
    approved_plan(cast, assignment, module)
    client = client_for(cast.user(Role.EMPLOYEE))
    page = client.get(work_url("training:leittext-work", assignment, module)).content.decode()
    assert "Save my scores" in page
    assert "lt-scale-option" in page
    criteria = list(module.leittext_criteria.order_by("position"))
    data = {score_field_name(row.pk): "4" for row in criteria}
    data[score_field_name(criteria[0].pk)] = "9"
    response = client.post(work_url("training:leittext-self-score", assignment, module), data)
    assert response.status_code == 422
    assert "Select a valid choice." in response.content.decode()
    data[score_field_name(criteria[0].pk)] = "2"
    response = client.post(work_url("training:leittext-self-score", assignment, module), data)
    assert response.status_code == 302
    assert LeittextWork.objects.get().learner_scores[str(criteria[0].pk)] == 2


# --- The coach's page ----------------------------------------------------------------------------


def test_the_coach_approves_the_plan_in_the_expert_talk(cast: Cast, client_for: Any) -> None:
    assignment, module = leittext_assignment(cast)
    planned(cast, assignment, module)
    client = client_for(cast.user(Role.MENTOR))
    url = work_url("training:leittext-review", assignment, module)
    page = client.get(url).content.decode()
    assert "Record the expert talk" in page
    assert "Bakken koelen" in page
    response = client.post(
        work_url("training:leittext-talk", assignment, module),
        {"expert_talk_on": timezone.localdate().isoformat(), "decision": "approve", "note": ""},
    )
    assert response.status_code == 302
    work = LeittextWork.objects.get()
    assert work.plan_approved_at is not None
    assert "Work plan approved in the expert talk" in client.get(url).content.decode()


def test_the_coach_page_says_the_learner_scores_first(cast: Cast, client_for: Any) -> None:
    assignment, module = leittext_assignment(cast)
    approved_plan(cast, assignment, module)
    client = client_for(cast.user(Role.MENTOR))
    page = client.get(work_url("training:leittext-review", assignment, module)).content.decode()
    assert "Save my scores as coach" not in page
    assert "The learner scores the control sheet first" in page
    data = {
        f"coach-{score_field_name(pk)}": "3"
        for pk in module.leittext_criteria.values_list("pk", flat=True)
    }
    response = client.post(work_url("training:leittext-coach-score", assignment, module), data)
    assert response.status_code == 422
    assert "scores the control sheet first; then you score the same criteria." in (
        response.content.decode()
    )


def test_the_coach_sees_both_scores_side_by_side(cast: Cast, client_for: Any) -> None:
    assignment, module = leittext_assignment(cast)
    self_scored(cast, assignment, module, values=[4, 5, 3])
    client = client_for(cast.user(Role.MENTOR))
    url = work_url("training:leittext-review", assignment, module)
    page = client.get(url).content.decode()
    assert "learner: 5" in page
    criteria = list(module.leittext_criteria.order_by("position"))
    values = zip(criteria, "432", strict=True)
    data = {f"coach-{score_field_name(row.pk)}": value for row, value in values}
    assert (
        client.post(work_url("training:leittext-coach-score", assignment, module), data).status_code
        == 302
    )
    page = client.get(url).content.decode()
    assert 'class="lt-far"' in page
    assert "+1" not in page or 'class="lt-differs"' in page
    assert "-2: talk this through" in page
    assert "Save the evaluation and close the Leittext" in page


def test_hr_reads_without_forms(cast: Cast, client_for: Any) -> None:
    assignment, module = leittext_assignment(cast)
    coach_scored(cast, assignment, module)
    page = client_for(cast.user(Role.PREVENTION_ADVISER)).get(
        work_url("training:leittext-review", assignment, module)
    )
    assert page.status_code == 200
    body = page.content.decode()
    assert "Bakken koelen" in body
    assert (
        '<form method="post" action="' + work_url("training:leittext-evaluate", assignment, module)
        not in body
    )
    assert (
        client_for(cast.user(Role.EMPLOYEE))
        .get(work_url("training:leittext-review", assignment, module))
        .status_code
        == 403
    )


def test_after_the_evaluation_the_pages_have_no_forms(cast: Cast, client_for: Any) -> None:
    assignment, module = leittext_assignment(cast)
    evaluated(cast, assignment, module)
    learner_page = (
        client_for(cast.user(Role.EMPLOYEE))
        .get(work_url("training:leittext-work", assignment, module))
        .content.decode()
    )
    assert "This Leittext is closed." in learner_page
    assert "<textarea" not in learner_page
    response = client_for(cast.user(Role.EMPLOYEE)).post(
        work_url("training:leittext-time", assignment, module), {"minutes": "20"}
    )
    assert response.status_code == 422
    assert "nobody changes it afterwards" in response.content.decode()


def test_another_organisation_finds_nothing(cast: Cast, client_for: Any) -> None:
    assignment, module = leittext_assignment(cast)
    assert cast.other_hr is not None
    client = client_for(cast.other_hr)
    assert client.get(work_url("training:leittext-review", assignment, module)).status_code == 404
    assert client.get(reverse("training:leittext-edit", args=[module.pk])).status_code == 404


def test_the_work_pages_keep_their_query_count(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    small, small_module = leittext_assignment(cast, questions=2, criteria=1)
    self_scored(cast, small, small_module)
    other = cast.employees[Role.COACH]
    large, large_module = leittext_assignment(
        cast, employee=other, questions=48, criteria=15, code="GROOT"
    )
    self_scored(cast, large, large_module)
    counts = {}
    for name, role_small, role_large in (
        ("training:leittext-review", Role.MENTOR, Role.MENTOR),
        ("training:leittext-work", Role.EMPLOYEE, Role.COACH),
    ):
        client = client_for(cast.user(role_small))
        with django_assert_max_num_queries(25) as first:
            assert client.get(work_url(name, small, small_module)).status_code == 200
        counts[name] = len(first.captured_queries)
        client = client_for(cast.user(role_large))
        with django_assert_max_num_queries(counts[name]) as second:
            assert client.get(work_url(name, large, large_module)).status_code == 200
        assert len(second.captured_queries) == counts[name], name


# --- Sections on shared pages --------------------------------------------------------------------


def request_for(cast: Cast, role: Role) -> Any:
    return SimpleNamespace(access=load_access(cast.user(role), cast.organisation.pk))


def test_the_assignment_page_shows_progress_and_the_right_link(cast: Cast) -> None:
    assignment, module = leittext_assignment(cast)
    planned(cast, assignment, module)
    template, part = views_leittext.assignment_part(request_for(cast, Role.HR), assignment)
    assert template == "training/leittext/progress_part.html"
    (row,) = part["rows"]
    assert row.state.done_count == 2
    assert row.state.next_step == "talk"
    assert part["link_name"] == "training:leittext-review"
    _template, own = views_leittext.assignment_part(request_for(cast, Role.EMPLOYEE), assignment)
    assert own["link_name"] == "training:leittext-work"


def test_the_learners_page_lists_his_leittext(cast: Cast) -> None:
    assignment, module = leittext_assignment(cast)
    employee = assignment.employee
    _template, part = views_leittext.mine_part(request_for(cast, Role.EMPLOYEE), employee)
    (row,) = part["rows"]
    assert row.assignment_id == assignment.pk
    assert row.module == module
    assert row.programme == "Koude keuken"


def test_the_guide_gets_a_home_card_when_it_is_his_turn(cast: Cast) -> None:
    assignment, module = leittext_assignment(cast)
    assert views_leittext.home_part(request_for(cast, Role.MENTOR)) is None
    planned(cast, assignment, module)
    _template, part = views_leittext.home_part(request_for(cast, Role.MENTOR))
    assert [work.module_id for work in part["rows"]] == [module.pk]


def test_the_shared_sections_keep_their_query_count(
    cast: Cast, django_assert_num_queries: Any
) -> None:
    assignment, _module = leittext_assignment(cast, questions=2, criteria=1)
    request = request_for(cast, Role.EMPLOYEE)
    with django_assert_num_queries(3):
        views_leittext.assignment_part(request, assignment)
    with django_assert_num_queries(3):
        views_leittext.mine_part(request, assignment.employee)
    second, _other = leittext_assignment(cast, questions=30, criteria=9, code="TWEE")
    approved_plan(cast, second, _other)
    with django_assert_num_queries(3):
        views_leittext.assignment_part(request, second)
    with django_assert_num_queries(3):
        views_leittext.mine_part(request, assignment.employee)
