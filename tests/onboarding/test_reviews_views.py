"""Progress review pages: what each role sees and may do, the flags, the forms' answers, and
fixed query counts at two sizes."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.formats import date_format

from leerplek.core.access import load_access
from leerplek.core.roles import Role
from leerplek.onboarding import selectors_reviews
from leerplek.onboarding.models import (
    Onboarding,
    OnboardingTask,
    ProgressReview,
    Section,
    TaskOwner,
)
from leerplek.onboarding.services_reviews import ERRORS
from leerplek.people.models import Employee
from tests.factories import Cast, EmployeeFactory
from tests.onboarding.factories import designate, start, templates
from tests.onboarding.factories_reviews import (
    TODAY,
    days_ago,
    hold,
    newcomer_in_packaging,
    peter,
    review,
    running,
)

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def short(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def story(cast: Cast) -> Onboarding:
    """The worker 100 days in: review 1 held, review 2 overdue, review 3 overdue, 4 planned."""
    onboarding = running(cast, days=100)
    hold(cast, review(onboarding, 1), notes="Leert snel.", next_steps="Alleen de lijn opstarten.")
    return onboarding


def more_newcomers(cast: Cast, count: int, office: bool = False) -> list[Onboarding]:
    """`count` onboardings about 75 days in (review 2 due within days), each with a peter."""
    plans = []
    for _ in range(count):
        person = (
            EmployeeFactory(organisation=cast.organisation, unit=cast.office, job=cast.job)
            if office
            else newcomer_in_packaging(cast)
        )
        plan = start(cast, employee=person, start_date=days_ago(58))
        peter(cast, plan)
        hold(cast, review(plan, 1), role=Role.HR)
        plans.append(plan)
    return plans


# --- The list ------------------------------------------------------------------------------------


def test_the_list_flags_overdue_and_due_reviews(cast: Cast) -> None:
    onboarding = story(cast)
    due = more_newcomers(cast, 1)[0]
    body = client_for(cast.user(Role.MANAGER)).get(reverse("onboarding:review-list")).content
    text = body.decode()
    second = review(onboarding, 2)
    assert f'href="/onboarding/reviews/{second.pk}/record/"' in text
    assert 'class="state-overdue"' in text
    assert 'class="state-due"' in text
    assert str(due.employee.last_name) in text
    assert "Marleen Peeters" in text  # the peter/meter column
    # Held and later reviews wait behind their own filters.
    assert f"/onboarding/reviews/{review(onboarding, 1).pk}/" not in text
    assert f"/onboarding/reviews/{review(onboarding, 4).pk}/record/" not in text


def test_the_list_is_scoped_to_the_managers_units(cast: Cast) -> None:
    story(cast)
    office = more_newcomers(cast, 1, office=True)[0]
    manager_view = client_for(cast.user(Role.MANAGER)).get(reverse("onboarding:review-list"))
    assert office.employee.last_name not in manager_view.content.decode()
    hr_view = client_for(cast.user(Role.HR)).get(reverse("onboarding:review-list"))
    assert office.employee.last_name in hr_view.content.decode()


def test_the_peter_sees_only_his_mentees_reviews(cast: Cast) -> None:
    onboarding = running(cast, days=100, with_guide=False)
    designate(cast, onboarding, cast.employees[Role.MENTOR])
    other = more_newcomers(cast, 1)[0]
    body = client_for(cast.user(Role.MENTOR)).get(reverse("onboarding:review-list")).content
    assert "Werker" in body.decode()
    assert other.employee.last_name not in body.decode()
    assert 'name="unit"' not in body.decode()  # no units to filter for a peter without a role


def test_filters_by_state_and_unit(cast: Cast) -> None:
    onboarding = story(cast)
    office = more_newcomers(cast, 1, office=True)[0]
    hr = client_for(cast.user(Role.HR))
    held = hr.get(reverse("onboarding:review-list"), {"state": "held"}).content.decode()
    assert f"/onboarding/reviews/{review(onboarding, 1).pk}/" in held
    assert f"/onboarding/reviews/{review(onboarding, 2).pk}/record/" not in held
    packaging = hr.get(
        reverse("onboarding:review-list"), {"state": "all", "unit": cast.packaging.pk}
    ).content.decode()
    assert "Werker" in packaging
    assert office.employee.last_name not in packaging


def test_the_counts_follow_the_states(cast: Cast) -> None:
    story(cast)
    more_newcomers(cast, 2)
    user = cast.user(Role.HR)
    counts = selectors_reviews.review_counts(access=load_access(user, cast.organisation.pk))
    # The worker: 1 held, 2 overdue (days 60 and 90), 3 later; the others: 1 held, 1 due, 4 later.
    assert (counts.held, counts.overdue, counts.due, counts.planned) == (3, 2, 2, 11)


def test_an_employee_may_not_open_the_list(cast: Cast) -> None:
    response = client_for(cast.user(Role.EMPLOYEE)).get(reverse("onboarding:review-list"))
    assert response.status_code == 403


# --- Recording -----------------------------------------------------------------------------------


def test_the_record_page_is_prefilled_and_offers_the_open_tasks(cast: Cast) -> None:
    onboarding = story(cast)
    second = review(onboarding, 2)
    page = client_for(cast.user(Role.MANAGER)).get(
        reverse("onboarding:review-record", args=[second.pk])
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "Late:" in text  # the open tasks text, pre-filled
    task = onboarding.tasks.get(title="Agree the training plan")
    assert f'name="due_{task.pk}"' in text


def test_recording_a_review_with_a_new_due_date(cast: Cast) -> None:
    onboarding = story(cast)
    second = review(onboarding, 2)
    task = onboarding.tasks.get(title="Agree the training plan")
    new_due = TODAY + datetime.timedelta(days=14)
    response = client_for(cast.user(Role.MANAGER)).post(
        reverse("onboarding:review-record", args=[second.pk]),
        {
            "held_on": TODAY.isoformat(),
            "notes": "Vlot gesprek.",
            "next_steps": "Opleidingsplan afspreken.",
            f"due_{task.pk}": new_due.isoformat(),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("onboarding:review-detail", args=[second.pk])
    second.refresh_from_db()
    assert (second.held_on, second.notes) == (TODAY, "Vlot gesprek.")
    task.refresh_from_db()
    assert task.due_on == new_due


def test_a_review_before_the_start_is_refused_next_to_the_date(cast: Cast) -> None:
    onboarding = story(cast)
    second = review(onboarding, 2)
    response = client_for(cast.user(Role.MANAGER)).post(
        reverse("onboarding:review-record", args=[second.pk]),
        {"held_on": (onboarding.start_date - datetime.timedelta(days=1)).isoformat(), "notes": "x"},
    )
    assert response.status_code == 422
    expected = str(ERRORS["before_start"]) % {"date": short(onboarding.start_date)}
    assert response.context["form"].errors == {"held_on": [expected]}


def test_a_bad_new_due_date_is_shown_above_the_planning(cast: Cast) -> None:
    onboarding = story(cast)
    second = review(onboarding, 2)
    task = onboarding.tasks.get(title="Agree the training plan")
    response = client_for(cast.user(Role.MANAGER)).post(
        reverse("onboarding:review-record", args=[second.pk]),
        {"held_on": TODAY.isoformat(), "notes": "x", f"due_{task.pk}": days_ago(3).isoformat()},
    )
    assert response.status_code == 422
    expected = str(ERRORS["plan_before_review"]) % {"title": task.title, "date": short(TODAY)}
    assert response.context["form"].errors == {"plan": [expected]}
    assert expected in response.content.decode()


def test_a_held_review_is_read_not_recorded_again(cast: Cast) -> None:
    onboarding = story(cast)
    first = review(onboarding, 1)
    client = client_for(cast.user(Role.HR))
    response = client.get(reverse("onboarding:review-record", args=[first.pk]))
    assert response["Location"] == reverse("onboarding:review-detail", args=[first.pk])
    detail = client.get(reverse("onboarding:review-detail", args=[first.pk])).content.decode()
    assert "Leert snel." in detail
    assert "Alleen de lijn opstarten." in detail
    assert "/correct/" not in detail  # HR did not record it


def test_the_recorder_corrects_on_the_same_day(cast: Cast) -> None:
    onboarding = story(cast)
    first = review(onboarding, 1)
    client = client_for(cast.user(Role.MANAGER))
    detail = client.get(reverse("onboarding:review-detail", args=[first.pk])).content.decode()
    assert reverse("onboarding:review-correct", args=[first.pk]) in detail
    response = client.post(
        reverse("onboarding:review-correct", args=[first.pk]),
        {"held_on": first.held_on.isoformat(), "notes": "Leert heel snel."},  # type: ignore[union-attr]
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.notes == "Leert heel snel."


def test_someone_else_is_sent_back_from_the_correction(cast: Cast) -> None:
    onboarding = story(cast)
    first = review(onboarding, 1)
    response = client_for(cast.user(Role.HR)).get(
        reverse("onboarding:review-correct", args=[first.pk])
    )
    assert response["Location"] == reverse("onboarding:review-detail", args=[first.pk])


def test_a_manager_of_another_unit_may_not_open_a_review(cast: Cast) -> None:
    templates(cast)
    office = more_newcomers(cast, 1, office=True)[0]
    response = client_for(cast.user(Role.MANAGER)).get(
        reverse("onboarding:review-detail", args=[review(office, 1).pk])
    )
    assert response.status_code == 403


def test_another_organisations_review_does_not_exist(cast: Cast) -> None:
    onboarding = story(cast)
    assert cast.other_hr is not None
    response = client_for(cast.other_hr).get(
        reverse("onboarding:review-detail", args=[review(onboarding, 1).pk])
    )
    assert response.status_code == 404


def test_moving_and_rescheduling_from_the_onboarding_page(cast: Cast) -> None:
    onboarding = story(cast)
    client = client_for(cast.user(Role.MANAGER))
    page = client.get(reverse("onboarding:onboarding-detail", args=[onboarding.pk])).content
    text = page.decode()
    assert "Progress reviews" in text
    fourth = review(onboarding, 4)
    assert reverse("onboarding:review-move", args=[fourth.pk]) in text
    assert reverse("onboarding:review-schedule", args=[onboarding.pk]) in text
    new_day = fourth.planned_on + datetime.timedelta(days=3)
    response = client.post(
        reverse("onboarding:review-move", args=[fourth.pk]), {"planned_on": new_day.isoformat()}
    )
    assert response.status_code == 302
    assert review(onboarding, 4).planned_on == new_day
    response = client.post(
        reverse("onboarding:review-schedule", args=[onboarding.pk]), {"interval_days": "3"}
    )
    assert response.status_code == 422
    response = client.post(
        reverse("onboarding:review-schedule", args=[onboarding.pk]), {"interval_days": "14"}
    )
    assert response.status_code == 302
    onboarding.refresh_from_db()
    assert onboarding.review_interval_days == 14


# --- Shared pages --------------------------------------------------------------------------------


def newcomer_logs_in(cast: Cast) -> None:
    worker = cast.worker
    assert worker is not None
    Employee.objects.filter(pk=cast.employees[Role.EMPLOYEE].pk).update(user=None)
    worker.user = cast.user(Role.EMPLOYEE)
    worker.save()


def test_the_newcomer_sees_his_next_review_and_what_was_agreed(cast: Cast) -> None:
    newcomer_logs_in(cast)
    onboarding = story(cast)
    body = client_for(cast.user(Role.EMPLOYEE)).get(reverse("onboarding:mine")).content.decode()
    assert "My next review" in body
    assert date_format(review(onboarding, 2).planned_on, "l j F") in body
    assert "Alleen de lijn opstarten." in body
    assert "1 of 6 reviews held" in body


def test_the_home_page_counts_the_reviews_due(cast: Cast) -> None:
    story(cast)
    more_newcomers(cast, 1)
    body = client_for(cast.user(Role.MANAGER)).get(reverse("core:home")).content.decode()
    assert "Reviews due" in body
    assert '<p class="stat">3</p>' in body
    assert "2 overdue" in body
    assert 'class="state-overdue"' in body


def test_the_home_card_stays_away_from_people_without_reviews(cast: Cast) -> None:
    story(cast)
    body = client_for(cast.user(Role.PREVENTION_ADVISER)).get(reverse("core:home")).content
    assert "Reviews due" not in body.decode()


# --- Query counts --------------------------------------------------------------------------------


def review_pages(onboarding: Onboarding) -> list[tuple[str, Role]]:
    second = review(onboarding, 2)
    return [
        (reverse("onboarding:review-list"), Role.HR),
        (reverse("onboarding:review-list") + "?state=all", Role.MANAGER),
        (reverse("onboarding:review-list") + "?state=held", Role.HR),
        (reverse("onboarding:review-detail", args=[review(onboarding, 1).pk]), Role.HR),
        (reverse("onboarding:review-detail", args=[second.pk]), Role.MANAGER),
        (reverse("onboarding:review-record", args=[second.pk]), Role.MANAGER),
        (reverse("onboarding:review-move", args=[second.pk]), Role.MANAGER),
        (reverse("onboarding:review-schedule", args=[onboarding.pk]), Role.MANAGER),
        (reverse("core:home"), Role.MANAGER),
    ]


def test_review_pages_keep_a_fixed_query_count(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    onboarding = story(cast)
    more_newcomers(cast, 2)
    counts = []
    for url, role in review_pages(onboarding):
        client = client_for(cast.user(role))
        with django_assert_max_num_queries(30) as small:
            assert client.get(url).status_code == 200, url
        counts.append(len(small.captured_queries))
    more_newcomers(cast, 12)
    more_newcomers(cast, 4, office=True)
    # A longer plan for the story's newcomer too (as a plan with competence tasks would be).
    OnboardingTask.objects.bulk_create(
        OnboardingTask(
            onboarding=onboarding,
            section=Section.TRAINING_PLAN,
            title=f"Extra task {number}",
            owner=TaskOwner.MENTOR,
            due_on=days_ago(number),
        )
        for number in range(20)
    )
    for (url, role), count in zip(review_pages(onboarding), counts, strict=True):
        client = client_for(cast.user(role))
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200, url


def test_the_review_list_selector_keeps_its_queries(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    story(cast)
    more_newcomers(cast, 2)
    user = cast.user(Role.HR)
    access = load_access(user, cast.organisation.pk)
    # Two, plus the user's mentees once per request.
    with django_assert_max_num_queries(3) as small:
        rows = list(selectors_reviews.review_list(access=access, state="all"))
        selectors_reviews.review_counts(access=access)
    assert len(rows) == 18
    more_newcomers(cast, 20)
    access = load_access(user, cast.organisation.pk)
    with django_assert_max_num_queries(len(small.captured_queries)):
        rows = list(selectors_reviews.review_list(access=access, state="all"))
        selectors_reviews.review_counts(access=access)
    assert len(rows) == 18 + 20 * 6


def test_every_review_state_is_in_the_filter() -> None:
    from leerplek.onboarding.forms_reviews import STATE_CHOICES

    choices = {value for value, _label in STATE_CHOICES}
    assert choices == set(selectors_reviews.STATE_FILTERS) - {selectors_reviews.OPEN}


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_the_list_mirrors_the_permission_rule(cast: Cast, role: Role) -> None:
    from tests.competences.factories import acting

    story(cast)
    more_newcomers(cast, 1, office=True)
    guided = more_newcomers(cast, 1)[0]
    designate(cast, guided, cast.employees[Role.MENTOR], is_backup=True)
    user = acting(cast.user(role), cast.organisation)
    listed = {
        review.pk
        for review in selectors_reviews.review_list(access=user.access, state="all")  # type: ignore[attr-defined]
    }
    allowed = {
        review.pk
        for review in ProgressReview.objects.select_related("onboarding__employee__unit")
        if user.has_perm("onboarding.view_reviews", review.onboarding)
    }
    assert listed == allowed
