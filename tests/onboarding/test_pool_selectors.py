"""Reads of the peter/meter pool: who matching may propose, why, and the coverage per shift."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from leerplek.core.roles import Role
from leerplek.onboarding import selectors_pool, services_pool
from leerplek.onboarding.models import EligibilityCriterion, GuideProfile, GuideStatus
from leerplek.onboarding.selectors_pool import (
    MET,
    NOT_MET,
    TRAINING_CURRENT,
    TRAINING_DUE,
    TRAINING_NONE,
    UNCONFIRMED,
    eligible_guides,
    explain,
    pool_overview,
)
from leerplek.people.models import UnitKind
from tests.factories import Cast, EmployeeFactory, make_unit
from tests.onboarding.factories import START, designate, start, templates
from tests.onboarding.factories_pool import acting, approved, defaults, propose, senior, train

pytestmark = pytest.mark.django_db


def newcomer(cast: Cast) -> Any:
    return start(cast, EmployeeFactory(organisation=cast.organisation, unit=cast.packaging))


def test_eligible_guides_are_approved_people_still_employed_with_free_places(cast: Cast) -> None:
    templates(cast)
    defaults(cast)
    free = approved(cast, max_mentees=2)
    full = approved(cast, max_mentees=1)
    designate(cast, newcomer(cast), full.employee)
    left = approved(cast)
    left.employee.exit_date = timezone.localdate() - datetime.timedelta(days=1)
    left.employee.save()
    propose(cast, senior(cast))  # a candidate, not yet in the pool

    rows = eligible_guides(cast.organisation)

    assert [row.profile for row in rows] == [free]
    assert rows[0].current_mentees == 0
    assert rows[0].remaining == 2
    every = eligible_guides(cast.organisation, include_full=True)
    assert {row.profile.pk: row.remaining for row in every} == {free.pk: 2, full.pk: 0}


def test_capacity_counts_only_current_primary_guidances_of_people_still_here(cast: Cast) -> None:
    templates(cast)
    member = approved(cast, max_mentees=3)
    designate(cast, newcomer(cast), member.employee)
    other = newcomer(cast)
    designate(cast, other, senior(cast))
    designate(cast, other, member.employee, is_backup=True)  # a backup does not count
    gone = newcomer(cast)
    designate(cast, gone, member.employee)
    gone.employee.exit_date = timezone.localdate() - datetime.timedelta(days=1)
    gone.employee.save()

    (row,) = eligible_guides(cast.organisation)

    assert row.current_mentees == 1
    assert row.remaining == 2


def test_explain_names_the_value_and_the_minimum_of_each_criterion(cast: Cast) -> None:
    defaults(cast)
    EligibilityCriterion.objects.create(
        organisation=cast.organisation,
        kind="numeric",
        measure="evaluation_score",
        minimum=Decimal(7),
        name="Evaluation",
    )
    today = datetime.date(2026, 11, 25)
    person = senior(cast, hire_date=datetime.date(2023, 11, 25), experience_years=Decimal("12"))
    profile = propose(cast, person)
    patience = EligibilityCriterion.objects.get(name="Patience")
    services_pool.quality_confirm(
        profile=profile,
        criterion=patience,
        is_met=False,
        note="Rushes",
        by=acting(cast, Role.MANAGER),
    )
    criteria = selectors_pool.active_criteria(cast.organisation)

    checks = {check.criterion.name: check for check in explain(profile, criteria, today=today)}

    assert checks["Experience"].state == MET
    assert checks["Experience"].text == "12.0 years of experience, needs 10"
    assert checks["Seniority"].state == NOT_MET
    assert checks["Seniority"].text == "3.0 years of seniority, needs 5"
    assert checks["Seniority"].blocks
    assert checks["Evaluation"].state == UNCONFIRMED
    assert checks["Evaluation"].text == "No evaluation score recorded yet; needs 7."
    assert checks["Patience"].state == NOT_MET
    assert "Rushes" in checks["Patience"].text
    assert checks["Communication"].state == UNCONFIRMED
    assert checks["Communication"].text == "Not yet confirmed by a line manager."


def test_inactive_criteria_are_not_explained(cast: Cast) -> None:
    defaults(cast)
    EligibilityCriterion.objects.filter(name="Seniority").update(is_active=False)
    profile = propose(cast, senior(cast))
    names = [c.criterion.name for c in explain(profile, EligibilityCriterion.objects.all())]
    assert "Seniority" not in names
    assert len(names) == 7


def test_training_status_flags_a_refresher_that_is_due(cast: Cast, settings: Any) -> None:
    settings.LEERPLEK = {**settings.LEERPLEK, "GUIDE_REFRESHER_MONTHS": 36}
    today = timezone.localdate()
    never = approved(cast)
    recent = approved(cast)
    train(cast, recent, today - datetime.timedelta(days=30))
    old = approved(cast)
    train(cast, old, today.replace(year=today.year - 4))

    rows = {row.profile.pk: row for row in eligible_guides(cast.organisation)}

    assert rows[never.pk].training_status == TRAINING_NONE
    assert rows[recent.pk].training_status == TRAINING_CURRENT
    assert rows[old.pk].training_status == TRAINING_DUE
    assert rows[old.pk].refresher_due_on == today.replace(year=today.year - 1)


def test_a_shift_without_a_peter_with_free_places_is_uncovered(cast: Cast) -> None:
    templates(cast)
    early = make_unit(cast.organisation, "Early", parent=cast.packaging, kind=UnitKind.SHIFT)
    late = make_unit(cast.organisation, "Late", parent=cast.packaging, kind=UnitKind.SHIFT)
    night = make_unit(cast.organisation, "Night", parent=cast.packaging, kind=UnitKind.SHIFT)
    line = make_unit(cast.organisation, "Line 1", parent=early, kind=UnitKind.LINE)
    approved(cast, senior(cast, unit=line))  # his unit lies in the early shift
    full = approved(cast, senior(cast), max_mentees=1, shift=late)
    designate(cast, newcomer(cast), full.employee)
    EmployeeFactory(organisation=cast.organisation, unit=night)
    EmployeeFactory(organisation=cast.organisation, unit=late)
    make_unit(cast.organisation, "Weekend", parent=cast.packaging, kind=UnitKind.SHIFT)

    overview = pool_overview(cast.organisation)

    rows = {row.shift.name: row for row in overview.coverage}
    assert rows["Early"].covered
    assert rows["Early"].people == 1
    assert not rows["Late"].covered  # his only peter is full
    assert not rows["Night"].covered
    assert [row.shift.name for row in overview.uncovered] == ["Late", "Night"]
    assert "Weekend" not in rows  # nobody works in it
    assert overview.capacity == 3
    assert overview.in_use == 1
    assert overview.free == 2


def test_the_overview_separates_members_and_candidates_and_hides_the_rest(cast: Cast) -> None:
    member = approved(cast)
    candidate = propose(cast, senior(cast))
    declined = propose(cast, senior(cast))
    services_pool.guide_decline(profile=declined, by=acting(cast, Role.HR), reason="Not now")

    overview = pool_overview(cast.organisation)

    assert [row.profile for row in overview.members] == [member]
    assert [row.profile for row in overview.candidates] == [candidate]
    assert GuideProfile.objects.get(pk=declined.pk).status == GuideStatus.DECLINED


def test_a_managers_overview_is_limited_to_his_units(cast: Cast) -> None:
    inside = approved(cast)
    outside = approved(cast, senior(cast, unit=cast.office))
    manager = acting(cast, Role.MANAGER)
    scope = manager.access.employee_scope_q(prefix="employee__")
    overview = pool_overview(cast.organisation, scope=scope)
    assert [row.profile for row in overview.members] == [inside]
    assert outside.pk not in [row.profile.pk for row in overview.members]
    assert len(pool_overview(cast.organisation).members) == 2


def grow(cast: Cast, size: int) -> None:
    for index in range(size):
        unit = make_unit(
            cast.organisation, f"Shift {size}-{index}", parent=cast.packaging, kind=UnitKind.SHIFT
        )
        member = approved(cast, senior(cast, unit=unit), max_mentees=3)
        train(cast, member, START)
        designate(cast, newcomer(cast), member.employee)
        propose(cast, senior(cast, unit=unit))


def test_pool_reads_keep_a_fixed_query_count(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    templates(cast)
    defaults(cast)
    grow(cast, 1)
    with django_assert_max_num_queries(5) as small:
        pool_overview(cast.organisation)
    with django_assert_max_num_queries(4):
        eligible_guides(cast.organisation)
    grow(cast, 6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        overview = pool_overview(cast.organisation)
        assert len(overview.members) == 7
    with django_assert_max_num_queries(4):
        assert len(eligible_guides(cast.organisation)) == 7
