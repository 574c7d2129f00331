"""The figures of the onboarding results page (ONB-10): time to independence, early leavers,
with and without a peter/meter, cohorts, functions and pulse averages."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from leerplek.onboarding.models import (
    OnboardingReason,
    OnboardingStatus,
    PulseRespondent,
    PulseResponse,
)
from leerplek.onboarding.selectors_metrics import (
    GRAIN_MONTH,
    onboarding_metrics,
    open_pulse_week,
    pulse_closes_on,
)
from leerplek.people.models import Employee, Job
from tests.factories import Cast, JobFactory
from tests.onboarding.factories import colleague, designate, templates
from tests.onboarding.factories_metrics import history

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 25)
FROM = datetime.date(2024, 1, 1)


def figures(cast: Cast, **kwargs: Any) -> Any:
    return onboarding_metrics(
        organisation=cast.organisation,
        date_from=kwargs.pop("date_from", FROM),
        date_to=kwargs.pop("date_to", TODAY),
        today=TODAY,
        **kwargs,
    )


def test_time_to_independence_is_the_median_and_range_of_those_who_got_there(cast: Cast) -> None:
    templates(cast)
    for days in (20, 35, 70):
        history(cast, start_date=datetime.date(2025, 1, 6), independent_after=days)
    history(cast, start_date=datetime.date(2025, 1, 6))  # not independent yet
    total = figures(cast).total
    assert (total.started, total.independent) == (4, 3)
    assert (total.median_days, total.min_days, total.max_days) == (35, 20, 70)
    assert total.median_weeks == Decimal("5.0")


def test_leavers_count_from_the_hire_date_in_the_first_week_and_the_first_six_months(
    cast: Cast,
) -> None:
    templates(cast)
    start = datetime.date(2025, 2, 3)
    history(cast, start_date=start, left_after=3)  # first week
    history(cast, start_date=start, left_after=7)  # day 8: not the first week, within 6 months
    history(cast, start_date=start, left_after=182)  # the last day of the period
    history(cast, start_date=start, left_after=183)  # just after it
    history(cast, start_date=start)
    total = figures(cast).total
    assert (total.left_week, total.left_week_percent) == (1, 20)
    assert (total.left_period, total.left_period_percent) == (3, 60)
    assert total.period_pending == 0


def test_an_internal_move_counts_from_the_start_of_the_new_function(cast: Cast) -> None:
    templates(cast)
    start = datetime.date(2025, 3, 3)
    onboarding = history(cast, start_date=start, reason=OnboardingReason.INTERNAL_MOVE)
    Employee.objects.filter(pk=onboarding.employee_id).update(
        hire_date=datetime.date(2015, 1, 5), exit_date=start + datetime.timedelta(days=30)
    )
    assert figures(cast).total.left_period == 1


def test_a_recent_cohort_is_provisional_until_its_six_months_have_passed(cast: Cast) -> None:
    templates(cast)
    history(cast, start_date=TODAY - datetime.timedelta(days=40))
    history(cast, start_date=TODAY - datetime.timedelta(days=40), left_after=10)
    total = figures(cast).total
    assert (total.left_period, total.period_pending) == (1, 1)


def test_with_a_peter_means_a_primary_peter_during_the_onboarding(cast: Cast) -> None:
    templates(cast)
    start = datetime.date(2025, 4, 7)
    history(cast, start_date=start, with_guide=True, left_after=100)
    history(cast, start_date=start, with_guide=True)
    history(cast, start_date=start, with_guide=False, left_after=5)
    history(cast, start_date=start, with_guide=False, left_after=50)
    data = figures(cast)
    assert (data.with_guide.started, data.with_guide.left_period_percent) == (2, 50)
    assert (data.without_guide.started, data.without_guide.left_period_percent) == (2, 100)
    assert data.comparable


def test_a_peter_designated_after_the_person_left_does_not_count(cast: Cast) -> None:
    templates(cast)
    onboarding = history(cast, start_date=datetime.date(2025, 5, 5), with_guide=False)
    guidance = designate(cast, onboarding, colleague(cast))
    guidance.starts_on = datetime.date(2025, 6, 2)
    guidance.save()
    Employee.objects.filter(pk=onboarding.employee_id).update(exit_date=datetime.date(2025, 5, 9))
    onboarding.ended_on = datetime.date(2025, 5, 9)
    onboarding.status = OnboardingStatus.CANCELLED
    onboarding.save()
    assert figures(cast).without_guide.started == 1


def test_an_onboarding_cancelled_while_the_person_stayed_is_left_out(cast: Cast) -> None:
    templates(cast)
    onboarding = history(cast, start_date=datetime.date(2025, 5, 5))
    onboarding.status = OnboardingStatus.CANCELLED
    onboarding.save()
    history(cast, start_date=datetime.date(2025, 5, 5), left_after=20)  # cancelled, left: counts
    assert figures(cast).total.started == 1


def test_cohorts_per_quarter_and_per_month(cast: Cast) -> None:
    templates(cast)
    for day in (datetime.date(2025, 1, 6), datetime.date(2025, 2, 3), datetime.date(2025, 7, 7)):
        history(cast, start_date=day)
    quarters = figures(cast).cohorts
    assert [(c.key, c.label, c.total.started) for c in quarters] == [
        ("2025-Q1", "Q1 2025", 2),
        ("2025-Q3", "Q3 2025", 1),
    ]
    months = figures(cast, grain=GRAIN_MONTH).cohorts
    assert [(c.key, c.total.started) for c in months] == [
        ("2025-01", 1),
        ("2025-02", 1),
        ("2025-07", 1),
    ]


def test_per_function_with_a_group_for_no_function(cast: Cast) -> None:
    templates(cast)
    driver = JobFactory(organisation=cast.organisation, code="DRV", name="Driver")
    history(cast, start_date=datetime.date(2025, 1, 6), job=driver)
    history(cast, start_date=datetime.date(2025, 1, 6))
    history(cast, start_date=datetime.date(2025, 1, 6))
    data = figures(cast)
    assert [(g.label, g.started) for g in data.functions] == [("Driver", 1), ("Operator", 2)]
    only_drivers = figures(cast, job_id=driver.pk)
    assert only_drivers.total.started == 1


def test_the_period_counts_onboardings_by_their_start(cast: Cast) -> None:
    templates(cast)
    history(cast, start_date=datetime.date(2024, 12, 31))
    history(cast, start_date=datetime.date(2025, 1, 1))
    data = figures(cast, date_from=datetime.date(2025, 1, 1), date_to=datetime.date(2025, 3, 31))
    assert data.total.started == 1


def test_pulse_averages_per_respondent(cast: Cast) -> None:
    templates(cast)
    onboarding = history(cast, start_date=datetime.date(2025, 1, 6))
    for respondent, week, score in (
        (PulseRespondent.NEWCOMER, 1, 4),
        (PulseRespondent.NEWCOMER, 4, 5),
        (PulseRespondent.GUIDE, 1, 3),
    ):
        PulseResponse.objects.create(
            onboarding=onboarding, respondent=respondent, moment=week, score=score
        )
    total = figures(cast).total
    assert (total.newcomer_pulse, total.newcomer_answers) == (Decimal("4.5"), 2)
    assert (total.guide_pulse, total.guide_answers) == (Decimal("3.0"), 1)


def test_a_group_below_the_minimum_size_is_marked_small(cast: Cast, settings: Any) -> None:
    settings.LEERPLEK = {**settings.LEERPLEK, "MIN_GROUP_SIZE": 3}
    templates(cast)
    for _ in range(2):
        history(cast, start_date=datetime.date(2025, 1, 6))
    data = figures(cast)
    assert data.total.is_small
    history(cast, start_date=datetime.date(2025, 1, 6))
    assert not figures(cast).total.is_small


def test_another_organisations_onboardings_never_count(cast: Cast) -> None:
    templates(cast)
    history(cast, start_date=datetime.date(2025, 1, 6))
    other = onboarding_metrics(
        organisation=cast.other_organisation,  # type: ignore[arg-type]
        date_from=FROM,
        date_to=TODAY,
        today=TODAY,
    )
    assert other.is_empty


@pytest.mark.parametrize("size", [2, 12])
def test_the_figures_cost_two_queries_whatever_the_number_of_onboardings(
    cast: Cast, size: int, django_assert_num_queries: Any
) -> None:
    templates(cast)
    second = JobFactory(organisation=cast.organisation, code="DRV", name="Driver")
    for index in range(size):
        onboarding = history(
            cast,
            start_date=datetime.date(2025, 1 + index % 12, 6),
            with_guide=index % 2 == 0,
            left_after=30 if index % 3 == 0 else None,
            independent_after=40 if index % 3 == 1 else None,
            job=second if index % 2 else None,
        )
        PulseResponse.objects.create(
            onboarding=onboarding, respondent=PulseRespondent.NEWCOMER, moment=1, score=4
        )
    assert Job.objects.count() >= 2
    with django_assert_num_queries(2):
        data = figures(cast, grain=GRAIN_MONTH)
        assert data.total.started == size


@pytest.mark.parametrize(
    ("day", "week"),
    [(-1, None), (0, 1), (13, 1), (14, None), (21, 4), (34, 4), (35, None), (84, 13), (181, 26)],
)
def test_a_pulse_question_is_open_in_its_week_and_the_week_after(
    day: int, week: int | None, settings: Any
) -> None:
    settings.LEERPLEK_PULSE_WEEKS = (1, 4, 13, 26)
    start = datetime.date(2026, 1, 5)
    assert open_pulse_week(start, start + datetime.timedelta(days=day)) == week


def test_a_pulse_question_closes_before_the_next_pulse_week_opens(settings: Any) -> None:
    settings.LEERPLEK_PULSE_WEEKS = (1, 2, 10)
    start = datetime.date(2026, 1, 5)
    assert pulse_closes_on(start, 1) == datetime.date(2026, 1, 11)
    assert open_pulse_week(start, datetime.date(2026, 1, 12)) == 2
    assert pulse_closes_on(start, 2) == datetime.date(2026, 1, 25)
