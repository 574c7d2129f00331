"""The onboarding API: templates, onboardings and tasks, guidance and progress reviews — what each
role may read and change, the rules of the services, and fixed query counts."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from leerplek.onboarding.models import (
    Guidance,
    GuidanceStatus,
    Onboarding,
    OnboardingTask,
    OnboardingTemplate,
    ProgressReview,
)
from tests.api.conftest import ApiClient, ids
from tests.factories import Cast, EmployeeFactory
from tests.onboarding.factories import START, colleague, designate, start, templates

pytestmark = pytest.mark.django_db

DENIED = {"detail": "Your role does not allow this."}


def newcomer(cast: Cast, unit: Any = None, **values: Any) -> Onboarding:
    person = EmployeeFactory(
        organisation=cast.organisation, unit=unit or cast.packaging, job=cast.job
    )
    return start(cast, employee=person, **values)


def review(plan: Onboarding, number: int, planned_on: datetime.date, **values: Any) -> Any:
    """Review `number` of the plan (starting a plan schedules them), moved to `planned_on`."""
    found, _ = ProgressReview.objects.update_or_create(
        onboarding=plan, number=number, defaults={"planned_on": planned_on, **values}
    )
    return found


def only_reviews(plan: Onboarding, count: int) -> None:
    ProgressReview.objects.filter(onboarding=plan, number__gt=count).delete()


def codes(response: Any) -> list[tuple[str | None, str]]:
    return [(error["field"], error["code"]) for error in response.json()["detail"]]


# --- Templates -------------------------------------------------------------------------------


def test_hr_lists_the_templates_with_their_tasks(cast: Cast, hr_api: ApiClient) -> None:
    company, operator = templates(cast)

    response = hr_api.get("/onboarding-templates")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    by_id = {item["id"]: item for item in body["items"]}
    assert by_id[company.pk]["job"] is None
    assert by_id[operator.pk]["job"] == {"id": cast.job.pk, "name": "Operator"}
    assert [task["title"] for task in by_id[company.pk]["tasks"]] == [
        "Welcome talk and tour",
        "Safety instructions on the floor",
    ]
    assert by_id[company.pk]["tasks"][1]["on_work_floor"] is True
    assert hr_api.get(f"/onboarding-templates/{operator.pk}").json()["name"] == "Operator"


def test_a_manager_may_not_read_the_templates(
    cast: Cast, api_for: Callable[..., ApiClient]
) -> None:
    company, _ = templates(cast)
    api = api_for(Role.MANAGER)

    assert api.get("/onboarding-templates").status_code == 403
    assert api.get(f"/onboarding-templates/{company.pk}").json() == DENIED


def test_hr_adds_a_template_with_its_tasks(cast: Cast, hr_api: ApiClient) -> None:
    response = hr_api.post(
        "/onboarding-templates",
        {
            "name": "Operator",
            "job": cast.job.pk,
            "duration_months": 3,
            "tasks": [
                {"section": "function", "title": "Line tour", "owner": "mentor", "offset_days": 1},
                {
                    "section": "training_plan",
                    "title": "Training plan",
                    "owner": "manager",
                    "offset_days": 30,
                    "how": "With the team leader",
                },
            ],
        },
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["duration_months"] == 3
    assert [task["title"] for task in body["tasks"]] == ["Line tour", "Training plan"]
    template = OnboardingTemplate.objects.get(pk=body["id"])
    assert template.tasks.count() == 2
    assert AuditEntry.objects.filter(action="onboarding.template_created").count() == 1
    assert AuditEntry.objects.filter(action="onboarding.template_task_added").count() == 2


def test_a_second_active_company_wide_template_is_refused_and_nothing_written(
    cast: Cast, hr_api: ApiClient
) -> None:
    templates(cast)
    before = OnboardingTemplate.objects.count()

    response = hr_api.post(
        "/onboarding-templates",
        {
            "name": "Another welcome",
            "tasks": [{"section": "company", "title": "Tour", "owner": "hr"}],
        },
    )

    assert response.status_code == 422
    assert codes(response) == [("job", "company_template_exists")]
    assert OnboardingTemplate.objects.count() == before


def test_a_task_out_of_range_is_refused_on_its_field(cast: Cast, hr_api: ApiClient) -> None:
    response = hr_api.post(
        "/onboarding-templates",
        {
            "name": "Operator",
            "job": cast.job.pk,
            "tasks": [{"section": "function", "title": "Late", "owner": "hr", "offset_days": 2000}],
        },
    )

    assert response.status_code == 422
    assert [field for field, _ in codes(response)] == ["tasks.0.offset_days"]
    assert not OnboardingTemplate.objects.exists()


def test_another_organisations_function_is_refused_on_its_field(
    cast: Cast, hr_api: ApiClient
) -> None:
    from tests.factories import JobFactory

    foreign = JobFactory(organisation=cast.other_organisation)

    response = hr_api.post("/onboarding-templates", {"name": "X", "job": foreign.pk})

    assert response.status_code == 422
    assert codes(response) == [("job", "does_not_exist")]


# --- Onboardings -----------------------------------------------------------------------------


def test_hr_lists_onboardings_with_progress_and_filters(cast: Cast, hr_api: ApiClient) -> None:
    templates(cast)
    early = newcomer(cast, start_date=START - datetime.timedelta(days=60))
    late = newcomer(cast)
    office = newcomer(cast, unit=cast.office)
    designate(cast, late, colleague(cast))

    everything = hr_api.get("/onboardings")
    in_packaging = hr_api.get("/onboardings", {"unit": cast.packaging.pk})
    recent = hr_api.get("/onboardings", {"started_from": START.isoformat()})
    older = hr_api.get(
        "/onboardings", {"started_to": (START - datetime.timedelta(days=1)).isoformat()}
    )

    assert everything.status_code == 200
    assert ids(everything) == {early.pk, late.pk, office.pk}
    assert ids(in_packaging) == {early.pk, late.pk}
    assert ids(recent) == {late.pk, office.pk}
    assert ids(older) == {early.pk}
    row = next(item for item in everything.json()["items"] if item["id"] == late.pk)
    assert row["has_guide"] is True
    assert row["status"] == "active"
    assert row["task_count"] == 4
    assert row["employee"]["unit"] == {"id": cast.packaging.pk, "name": "Verpakking"}
    assert row["organiser"]["id"] == cast.employees[Role.MANAGER].pk


def test_the_status_filter_and_a_reversed_range(cast: Cast, hr_api: ApiClient) -> None:
    templates(cast)
    plan = newcomer(cast)
    Onboarding.objects.filter(pk=plan.pk).update(status="completed")

    assert ids(hr_api.get("/onboardings", {"status": "active"})) == set()
    assert ids(hr_api.get("/onboardings", {"status": "completed"})) == {plan.pk}
    reversed_range = hr_api.get(
        "/onboardings", {"started_from": "2026-02-01", "started_to": "2026-01-01"}
    )
    assert reversed_range.status_code == 422
    assert codes(reversed_range) == [("started_to", "range")]


def test_a_manager_sees_the_onboardings_of_his_units_only(
    cast: Cast, api_for: Callable[..., ApiClient]
) -> None:
    templates(cast)
    inside = newcomer(cast)
    outside = newcomer(cast, unit=cast.office)
    api = api_for(Role.MANAGER)

    assert ids(api.get("/onboardings")) == {inside.pk}
    assert api.get(f"/onboardings/{inside.pk}").status_code == 200
    assert api.get(f"/onboardings/{outside.pk}").json() == DENIED


def test_a_peter_sees_his_newcomer_and_an_employee_nothing(
    cast: Cast, api_for: Callable[..., ApiClient]
) -> None:
    templates(cast)
    plan = newcomer(cast)
    other = newcomer(cast)
    designate(cast, plan, cast.employees[Role.EMPLOYEE])
    peter = api_for(Role.EMPLOYEE)

    assert ids(peter.get("/onboardings")) == {plan.pk}
    assert peter.get(f"/onboardings/{other.pk}").status_code == 403
    assert api_for(Role.CONSULTATION).get("/onboardings").status_code == 403


def test_the_detail_has_tasks_and_guides(cast: Cast, hr_api: ApiClient) -> None:
    templates(cast)
    plan = newcomer(cast)
    peter = colleague(cast, first_name="Piet", last_name="Peter")
    designate(cast, plan, peter)
    designate(cast, plan, colleague(cast, first_name="Bea", last_name="Backup"), is_backup=True)

    response = hr_api.get(f"/onboardings/{plan.pk}")

    assert response.status_code == 200
    body = response.json()
    assert body["has_guide"] is True
    assert len(body["tasks"]) == body["task_count"] == 4
    assert body["tasks"][0]["title"] == "Welcome talk and tour"
    assert [(g["guide"]["name"], g["is_backup"]) for g in body["guides"]] == [
        ("Piet Peter", False),
        ("Bea Backup", True),
    ]
    assert body["guides"][0]["learner"]["id"] == plan.employee_id


def test_hr_starts_an_onboarding(cast: Cast, hr_api: ApiClient) -> None:
    templates(cast)
    assert cast.worker is not None

    response = hr_api.post(
        "/onboardings",
        {
            "employee": cast.worker.pk,
            "reason": "new_hire",
            "start_date": START.isoformat(),
            "organiser": cast.employees[Role.MANAGER].pk,
        },
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["employee"]["id"] == cast.worker.pk
    assert body["has_guide"] is False
    assert next(task["due_on"] for task in body["tasks"]) == START.isoformat()
    assert len(body["tasks"]) == 4
    assert AuditEntry.objects.filter(action="onboarding.started").count() == 1


def test_starting_twice_or_with_a_wrong_organiser_is_refused(cast: Cast, hr_api: ApiClient) -> None:
    templates(cast)
    assert cast.worker is not None
    body = {
        "employee": cast.worker.pk,
        "reason": "new_hire",
        "start_date": START.isoformat(),
        "organiser": cast.worker.pk,
    }

    own = hr_api.post("/onboardings", body)
    foreign = hr_api.post("/onboardings", {**body, "organiser": cast.other_employee.pk})  # type: ignore[union-attr]
    assert (
        hr_api.post(
            "/onboardings", {**body, "organiser": cast.employees[Role.MANAGER].pk}
        ).status_code
        == 201
    )
    twice = hr_api.post("/onboardings", {**body, "organiser": cast.employees[Role.MANAGER].pk})

    assert codes(own) == [("organiser", "own_organiser")]
    assert codes(foreign) == [("organiser", "does_not_exist")]
    assert codes(twice) == [("employee", "already_onboarding")]
    assert Onboarding.objects.count() == 1


def test_a_manager_cannot_start_one_outside_his_units(
    cast: Cast, api_for: Callable[..., ApiClient]
) -> None:
    templates(cast)
    office_person = EmployeeFactory(organisation=cast.organisation, unit=cast.office)

    response = api_for(Role.MANAGER).post(
        "/onboardings",
        {
            "employee": office_person.pk,
            "reason": "new_hire",
            "start_date": START.isoformat(),
            "organiser": cast.employees[Role.MANAGER].pk,
        },
    )

    assert response.json() == DENIED
    assert not Onboarding.objects.exists()


def test_another_organisations_onboarding_does_not_exist(
    cast: Cast, api_for: Callable[..., ApiClient]
) -> None:
    templates(cast)
    plan = newcomer(cast)
    assert cast.other_hr is not None
    assert cast.other_organisation is not None
    stranger = api_for(cast.other_hr, cast.other_organisation)
    task = plan.tasks.first()
    assert task is not None

    assert stranger.get(f"/onboardings/{plan.pk}").status_code == 404
    assert stranger.get(f"/onboardings/{plan.pk}/tasks").status_code == 404
    assert stranger.post(f"/onboarding-tasks/{task.pk}/done", {}).status_code == 404
    guidance = designate(cast, plan, colleague(cast))
    first_review = plan.reviews.order_by("number").first()
    assert first_review is not None
    assert stranger.get(f"/guidances/{guidance.pk}").status_code == 404
    assert stranger.post(f"/guidances/{guidance.pk}/end", {"reason": "x"}).status_code == 404
    assert stranger.get(f"/progress-reviews/{first_review.pk}").status_code == 404
    assert ids(stranger.get("/onboardings")) == set()
    assert ids(stranger.get("/guidances")) == set()
    assert ids(stranger.get("/progress-reviews")) == set()
    refused = stranger.post("/guidances", {"learner": plan.employee_id, "guide": 1})
    assert codes(refused) == [("learner", "does_not_exist")]


# --- Tasks -----------------------------------------------------------------------------------


def test_tasks_are_listed_and_marked_done(cast: Cast, hr_api: ApiClient) -> None:
    templates(cast)
    plan = newcomer(cast)
    welcome = plan.tasks.get(title="Welcome talk and tour")

    listed = hr_api.get(f"/onboardings/{plan.pk}/tasks")
    done = hr_api.post(f"/onboarding-tasks/{welcome.pk}/done", {"done_on": START.isoformat()})
    still_open = hr_api.get(f"/onboardings/{plan.pk}/tasks", {"open": "true"})
    again = hr_api.post(f"/onboarding-tasks/{welcome.pk}/done", {})

    assert listed.json()["count"] == 4
    assert done.status_code == 200
    assert done.json()["done_on"] == START.isoformat()
    assert welcome.pk not in ids(still_open)
    assert codes(again) == [("done_on", "already_done")]


def test_a_work_floor_task_waits_for_a_peter(cast: Cast, hr_api: ApiClient) -> None:
    templates(cast)
    plan = newcomer(cast)
    floor = plan.tasks.get(title="Safety instructions on the floor")

    refused = hr_api.post(f"/onboarding-tasks/{floor.pk}/done", {})
    designate(cast, plan, colleague(cast))
    accepted = hr_api.post(f"/onboarding-tasks/{floor.pk}/done", {})

    assert codes(refused) == [("done_on", "no_guide")]
    assert accepted.status_code == 200


def test_a_future_date_is_refused(cast: Cast, hr_api: ApiClient) -> None:
    templates(cast)
    task = newcomer(cast).tasks.first()
    assert task is not None
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = hr_api.post(f"/onboarding-tasks/{task.pk}/done", {"done_on": tomorrow.isoformat()})

    assert codes(response) == [("done_on", "future_date")]
    task.refresh_from_db()
    assert task.done_on is None


def test_a_peter_ticks_his_newcomers_task_but_a_manager_not_one_outside_his_units(
    cast: Cast, api_for: Callable[..., ApiClient]
) -> None:
    templates(cast)
    plan = newcomer(cast)
    designate(cast, plan, cast.employees[Role.EMPLOYEE])
    office = newcomer(cast, unit=cast.office)
    task = plan.tasks.get(title="Welcome talk and tour")
    office_task = office.tasks.first()
    assert office_task is not None

    assert api_for(Role.EMPLOYEE).post(f"/onboarding-tasks/{task.pk}/done", {}).status_code == 200
    outside = api_for(Role.MANAGER).post(f"/onboarding-tasks/{office_task.pk}/done", {})
    assert outside.json() == DENIED


# --- Guidance --------------------------------------------------------------------------------


def test_hr_designates_a_peter_and_a_second_primary_is_refused(
    cast: Cast, hr_api: ApiClient
) -> None:
    templates(cast)
    plan = newcomer(cast)
    peter, other = colleague(cast), colleague(cast)

    created = hr_api.post("/guidances", {"learner": plan.employee_id, "guide": peter.pk})
    second = hr_api.post("/guidances", {"learner": plan.employee_id, "guide": other.pk})
    backup = hr_api.post(
        "/guidances", {"learner": plan.employee_id, "guide": other.pk, "is_backup": True}
    )
    himself = hr_api.post("/guidances", {"learner": plan.employee_id, "guide": plan.employee_id})

    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["guide"]["id"] == peter.pk
    assert body["onboarding"] == plan.pk  # attached to his active onboarding
    assert body["kind"] == "mentor"
    assert codes(second) == [("is_backup", "primary_exists")]
    assert backup.status_code == 201
    assert codes(himself) == [("guide", "own_guide")]
    assert hr_api.get(f"/onboardings/{plan.pk}").json()["has_guide"] is True


def test_an_instruction_needs_a_target_result(cast: Cast, hr_api: ApiClient) -> None:
    assert cast.worker is not None
    teacher = colleague(cast)
    body = {"learner": cast.worker.pk, "guide": teacher.pk, "kind": "instructor"}

    refused = hr_api.post("/guidances", body)
    accepted = hr_api.post("/guidances", {**body, "target_result": "Sets up the press alone."})

    assert codes(refused) == [("target_result", "target_required")]
    assert accepted.status_code == 201
    assert accepted.json()["target_result"] == "Sets up the press alone."


def test_guidances_are_listed_filtered_and_ended(cast: Cast, hr_api: ApiClient) -> None:
    templates(cast)
    plan = newcomer(cast)
    guidance = designate(cast, plan, colleague(cast))
    other = designate(cast, newcomer(cast), colleague(cast))

    listed = hr_api.get("/guidances", {"learner": plan.employee_id})
    without_reason = hr_api.post(f"/guidances/{guidance.pk}/end", {})
    ended = hr_api.post(f"/guidances/{guidance.pk}/end", {"reason": "Peter left the team."})
    current = hr_api.get("/guidances", {"current": "true"})
    detail = hr_api.get(f"/guidances/{guidance.pk}")

    assert ids(listed) == {guidance.pk}
    assert codes(without_reason) == [("reason", "reason_required")]
    assert ended.status_code == 200
    assert ended.json()["status"] == GuidanceStatus.CLOSED
    assert ended.json()["end_reason"] == "Peter left the team."
    assert ids(current) == {other.pk}
    assert detail.json()["ends_on"] == timezone.localdate().isoformat()


def test_a_manager_cannot_designate_or_end_outside_his_units(
    cast: Cast, api_for: Callable[..., ApiClient]
) -> None:
    templates(cast)
    office = newcomer(cast, unit=cast.office)
    guidance = designate(cast, office, colleague(cast))
    api = api_for(Role.MANAGER)

    designated = api.post(
        "/guidances", {"learner": office.employee_id, "guide": colleague(cast).pk}
    )
    ended = api.post(f"/guidances/{guidance.pk}/end", {"reason": "x"})

    assert designated.json() == DENIED
    assert ended.json() == DENIED
    assert guidance.pk not in ids(api.get("/guidances"))
    assert Guidance.objects.filter(ends_on__isnull=True).count() == 1


def test_a_guide_lists_his_own_relationships(cast: Cast, api_for: Callable[..., ApiClient]) -> None:
    templates(cast)
    mine = designate(cast, newcomer(cast), cast.employees[Role.EMPLOYEE])
    designate(cast, newcomer(cast), colleague(cast))

    response = api_for(Role.EMPLOYEE).get("/guidances")

    assert ids(response) == {mine.pk}


# --- Progress reviews ------------------------------------------------------------------------


def test_reviews_are_listed_by_state(cast: Cast, hr_api: ApiClient) -> None:
    templates(cast)
    plan = newcomer(cast)
    only_reviews(plan, 0)
    today = timezone.localdate()
    held = review(plan, 1, today - datetime.timedelta(days=40), held_on=today, notes="Fine")
    late = review(plan, 2, today - datetime.timedelta(days=30))
    soon = review(plan, 3, today + datetime.timedelta(days=1))
    later = review(plan, 4, today + datetime.timedelta(days=40))

    everything = hr_api.get("/progress-reviews")
    overdue = hr_api.get("/progress-reviews", {"state": "overdue"})
    attention = hr_api.get("/progress-reviews", {"state": "attention"})
    done = hr_api.get("/progress-reviews", {"state": "held", "onboarding": plan.pk})
    unit = hr_api.get("/progress-reviews", {"unit": cast.office.pk})

    assert [item["id"] for item in everything.json()["items"]] == [
        late.pk,
        soon.pk,
        later.pk,
        held.pk,
    ]
    assert ids(overdue) == {late.pk}
    assert ids(attention) == {late.pk, soon.pk}
    assert ids(done) == {held.pk}
    assert ids(unit) == set()
    row = hr_api.get(f"/progress-reviews/{late.pk}").json()
    assert row["state"] == "overdue"
    assert row["employee"]["id"] == plan.employee_id
    assert hr_api.get("/progress-reviews", {"state": "late"}).status_code == 422


def test_reviews_follow_the_scope_and_the_guide(
    cast: Cast, api_for: Callable[..., ApiClient]
) -> None:
    templates(cast)
    inside, office, guided = newcomer(cast), newcomer(cast, unit=cast.office), newcomer(cast)
    designate(cast, guided, cast.employees[Role.EMPLOYEE])
    first = {plan.pk: plan.reviews.get(number=1).pk for plan in (inside, office, guided)}
    manager = api_for(Role.MANAGER)
    peter = api_for(Role.EMPLOYEE)

    def firsts(response: Any) -> set[int]:
        return ids(response) & set(first.values())

    assert firsts(manager.get("/progress-reviews")) == {first[inside.pk], first[guided.pk]}
    assert manager.get(f"/progress-reviews/{first[office.pk]}").json() == DENIED
    assert firsts(peter.get("/progress-reviews")) == {first[guided.pk]}
    assert peter.get(f"/progress-reviews/{first[inside.pk]}").status_code == 403
    assert api_for(Role.PREVENTION_ADVISER).get("/progress-reviews").status_code == 403


def test_a_review_is_recorded_in_order(cast: Cast, hr_api: ApiClient) -> None:
    templates(cast)
    plan = newcomer(cast, start_date=timezone.localdate() - datetime.timedelta(days=70))
    first, second = plan.reviews.get(number=1), plan.reviews.get(number=2)
    task = plan.tasks.filter(done_on__isnull=True).order_by("-due_on").first()
    assert task is not None
    new_due = timezone.localdate() + datetime.timedelta(days=20)

    out_of_order = hr_api.post(f"/progress-reviews/{second.pk}/record", {"notes": "Early"})
    no_notes = hr_api.post(f"/progress-reviews/{first.pk}/record", {"notes": ""})
    recorded = hr_api.post(
        f"/progress-reviews/{first.pk}/record",
        {
            "notes": "Runs the line with help.",
            "practised": "Start-up",
            "plan": {str(task.pk): new_due.isoformat()},
        },
    )

    assert codes(out_of_order) == [("held_on", "earlier_open")]
    assert [field for field, _ in codes(no_notes)] == ["notes"]
    assert recorded.status_code == 200, recorded.json()
    body = recorded.json()
    assert body["state"] == "held"
    assert body["held_on"] == timezone.localdate().isoformat()
    assert body["practised"] == "Start-up"
    task.refresh_from_db()
    assert task.due_on == new_due


def test_a_peter_records_his_newcomers_review_but_not_anothers(
    cast: Cast, api_for: Callable[..., ApiClient]
) -> None:
    templates(cast)
    today = timezone.localdate()
    guided = newcomer(cast, start_date=today - datetime.timedelta(days=40))
    other = newcomer(cast, start_date=today - datetime.timedelta(days=40))
    designate(cast, guided, cast.employees[Role.EMPLOYEE])
    peter = api_for(Role.EMPLOYEE)

    mine = peter.post(
        f"/progress-reviews/{guided.reviews.get(number=1).pk}/record", {"notes": "Ok"}
    )
    theirs = peter.post(
        f"/progress-reviews/{other.reviews.get(number=1).pk}/record", {"notes": "x"}
    )

    assert mine.status_code == 200, mine.json()
    assert theirs.json() == DENIED


# --- Query counts ----------------------------------------------------------------------------


def list_urls(plan: Onboarding) -> list[str]:
    return [
        "/onboarding-templates",
        "/onboardings",
        f"/onboardings/{plan.pk}",
        f"/onboardings/{plan.pk}/tasks",
        "/guidances",
        "/progress-reviews",
    ]


def test_every_read_keeps_a_fixed_query_count(
    cast: Cast, hr_api: ApiClient, django_assert_max_num_queries: Any
) -> None:
    templates(cast)
    today = timezone.localdate()

    def grow(count: int) -> Onboarding:
        plan = None
        for number in range(count):
            plan = newcomer(cast)
            designate(cast, plan, colleague(cast))
            review(plan, 1, today - datetime.timedelta(days=number))  # overdue or due
        assert plan is not None
        return plan

    plan = grow(2)
    counts = []
    for url in list_urls(plan):
        with django_assert_max_num_queries(20) as small:
            assert hr_api.get(url).status_code == 200, url
        counts.append(len(small.captured_queries))
    grow(15)
    for url, count in zip(list_urls(plan), counts, strict=True):
        with django_assert_max_num_queries(count):
            response = hr_api.get(url)
        assert response.status_code == 200, url
    assert hr_api.get("/onboardings").json()["count"] == 17


def test_a_big_list_of_tasks_is_paginated(cast: Cast, hr_api: ApiClient) -> None:
    templates(cast)
    plan = newcomer(cast)
    OnboardingTask.objects.bulk_create(
        OnboardingTask(
            onboarding=plan, section="function", title=f"Step {n}", owner="hr", due_on=START
        )
        for n in range(60)
    )

    page = hr_api.get(f"/onboardings/{plan.pk}/tasks", {"limit": 25, "offset": 50})

    assert page.json()["count"] == 64
    assert len(page.json()["items"]) == 14


# --- Lists agree with the rules --------------------------------------------------------------


def _walk_data(cast: Cast) -> None:
    templates(cast)
    guided = newcomer(cast)
    designate(cast, guided, cast.employees[Role.EMPLOYEE])
    designate(cast, newcomer(cast), cast.employees[Role.MENTOR])
    designate(cast, newcomer(cast, unit=cast.office), colleague(cast))


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_every_list_shows_exactly_what_the_rules_allow(
    cast: Cast, api_for: Callable[..., ApiClient], role: Role
) -> None:
    from leerplek.core.access import load_access

    _walk_data(cast)
    user = cast.user(role)
    user.access = load_access(user, cast.organisation.pk)
    api = api_for(role)
    me = cast.employees[role].pk

    plans = Onboarding.objects.select_related("employee__unit")
    reviews = ProgressReview.objects.select_related("onboarding__employee__unit")
    guidances = Guidance.objects.select_related("learner__unit")
    expected = {
        "/onboardings": (
            "onboarding.view_onboarding",
            {p.pk for p in plans if user.has_perm("onboarding.view_onboarding", p)},
        ),
        "/progress-reviews": (
            "onboarding.view_reviews",
            {r.pk for r in reviews if user.has_perm("onboarding.view_reviews", r.onboarding)},
        ),
        "/guidances": (
            None,
            {
                g.pk
                for g in guidances
                if me in {g.guide_id, g.learner_id}
                or user.has_perm("onboarding.manage_guidance", g.learner)
            },
        ),
        "/onboarding-templates": (
            "onboarding.manage_templates",
            set(OnboardingTemplate.objects.values_list("pk", flat=True))
            if user.has_perm("onboarding.manage_templates")
            else set(),
        ),
    }
    for path, (perm, allowed) in expected.items():
        response = api.get(path, {"limit": 200})
        if response.status_code == 403:
            assert perm is not None, path
            assert not user.has_perm(perm), path
            assert not allowed, path
            continue
        assert response.status_code == 200, path
        assert ids(response) == allowed, path
