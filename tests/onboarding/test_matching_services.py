"""Matching on the database: the batch selector and HR's decisions (confirm, override, batch)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from leerplek.onboarding import selectors_matching, services_matching
from leerplek.onboarding.models import Guidance, MatchDecision, OnboardingStatus
from leerplek.onboarding.services_matching import ERRORS, Decision
from tests.factories import Cast
from tests.onboarding.factories import designate
from tests.onboarding.factories_matching import newcomer, pool_member, scene
from tests.onboarding.factories_pool import acting

pytestmark = pytest.mark.django_db


def decision_for(row: selectors_matching.Row, chosen: Any = None, reason: str = "") -> Decision:
    proposal = row.proposal
    assert proposal is not None
    return Decision(
        onboarding=row.onboarding,
        chosen=chosen or proposal.employee,
        proposed=proposal.employee,
        score=proposal.score,
        reasons=proposal.reasons,
        reason=reason,
    )


def test_the_batch_proposes_with_reasons(cast: Cast) -> None:
    s = scene(cast)
    data = selectors_matching.batch(organisation=cast.organisation)
    [row] = data.rows
    assert row.onboarding == s.onboarding
    assert row.proposal is not None
    assert row.proposal.employee == s.anna.employee
    codes = {reason["code"]: reason for reason in row.proposal.reasons}
    assert set(codes) == {"same_job", "teaches_gap", "same_unit", "shared_language", "free_place"}
    assert codes["teaches_gap"]["items"] == ["HACCP hygiene"]
    assert codes["shared_language"]["items"] == ["nl", "pl"]
    assert row.proposal.score == 30 + 10 + 10 + 15 + 2 * 5
    assert [shown.employee for shown in row.alternatives] == [s.bart.employee]
    assert data.free_places == 4


def test_the_batch_leaves_out_newcomers_with_a_guide_and_filters(cast: Cast) -> None:
    s = scene(cast)
    later = newcomer(cast, start_date=s.onboarding.start_date.replace(day=16), unit=cast.office)
    guided = newcomer(cast)
    designate(cast, guided, pool_member(cast).employee)
    rows = selectors_matching.batch(organisation=cast.organisation).rows
    assert [row.onboarding for row in rows] == [s.onboarding, later]
    week = selectors_matching.batch(organisation=cast.organisation, week=later.start_date).rows
    assert [row.onboarding for row in week] == [later]
    unit = selectors_matching.batch(organisation=cast.organisation, unit=cast.packaging).rows
    assert [row.onboarding for row in unit] == [s.onboarding]
    assert selectors_matching.start_weeks(organisation=cast.organisation) == [
        s.onboarding.start_date,
        later.start_date.replace(day=16),
    ]


def test_the_batch_gives_a_full_peter_nobody(cast: Cast) -> None:
    s = scene(cast)
    for _ in range(2):
        designate(cast, newcomer(cast), s.anna.employee)
    row = selectors_matching.batch(organisation=cast.organisation, onboardings=None).rows[0]
    assert row.proposal is not None
    assert row.proposal.employee == s.bart.employee


def test_the_batch_takes_the_newcomers_gap_from_his_latest_official_level(cast: Cast) -> None:
    from tests.competences.factories import assess

    s = scene(cast)
    assess(cast, cast.worker, s.haccp, "U")  # type: ignore[arg-type]
    row = selectors_matching.batch(organisation=cast.organisation).rows[0]
    assert row.proposal is not None
    assert "teaches_gap" not in {reason["code"] for reason in row.proposal.reasons}


def test_batch_query_count_is_fixed(cast: Cast, django_assert_max_num_queries: Any) -> None:
    scene(cast)
    with django_assert_max_num_queries(10) as small:
        selectors_matching.batch(organisation=cast.organisation)
    for n in range(6):
        newcomer(cast, languages="nl")
        pool_member(cast, job=cast.job, first_name=f"Extra{n}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        data = selectors_matching.batch(organisation=cast.organisation)
    assert len(data.rows) == 7
    assert data.proposed == 7


def test_confirm_designates_and_records_the_decision(cast: Cast) -> None:
    s = scene(cast)
    row = selectors_matching.batch(organisation=cast.organisation).rows[0]
    match = services_matching.match_confirm(decision=decision_for(row), by=acting(cast, Role.HR))
    guidance = Guidance.objects.get(learner=cast.worker)
    assert guidance.guide == s.anna.employee
    assert guidance.onboarding == s.onboarding
    assert guidance.reason == "Proposed by matching."
    assert match.guidance == guidance
    assert match.proposed == match.chosen == s.anna.employee
    assert match.score == row.proposal.score  # type: ignore[union-attr]
    assert match.reasons == row.proposal.reasons  # type: ignore[union-attr]
    assert match.reason == ""
    entry = AuditEntry.objects.get(action="onboarding.match_decided")
    assert entry.after["chosen"] == s.anna.employee.pk


def test_another_choice_needs_a_reason(cast: Cast) -> None:
    s = scene(cast)
    row = selectors_matching.batch(organisation=cast.organisation).rows[0]
    with pytest.raises(ValidationError) as refused:
        services_matching.match_confirm(
            decision=decision_for(row, chosen=s.bart.employee, reason="  "),
            by=acting(cast, Role.HR),
        )
    assert refused.value.error_dict["reason"][0].code == "reason_required"
    assert refused.value.messages == [
        ERRORS["reason_required"] % {"chosen": s.bart.employee, "proposed": s.anna.employee}
    ]
    assert not Guidance.objects.exists()
    assert not MatchDecision.objects.exists()
    match = services_matching.match_confirm(
        decision=decision_for(row, chosen=s.bart.employee, reason="Same team leader"),
        by=acting(cast, Role.HR),
    )
    assert match.chosen == s.bart.employee
    assert match.proposed == s.anna.employee
    assert match.reason == "Same team leader"
    assert Guidance.objects.get().reason == "Same team leader"


def test_confirm_refuses_someone_outside_the_pool(cast: Cast) -> None:
    scene(cast)
    row = selectors_matching.batch(organisation=cast.organisation).rows[0]
    outsider = cast.employees[Role.MANAGER]
    with pytest.raises(ValidationError) as refused:
        services_matching.match_confirm(
            decision=decision_for(row, chosen=outsider, reason="He asked"),
            by=acting(cast, Role.HR),
        )
    assert refused.value.error_dict["guide"][0].code == "not_in_pool"
    assert not Guidance.objects.exists()


def test_confirm_refuses_a_full_peter(cast: Cast) -> None:
    s = scene(cast)
    row = selectors_matching.batch(organisation=cast.organisation).rows[0]
    for _ in range(2):
        designate(cast, newcomer(cast), s.anna.employee)
    with pytest.raises(ValidationError) as refused:
        services_matching.match_confirm(decision=decision_for(row), by=acting(cast, Role.HR))
    assert refused.value.error_dict["guide"][0].code == "pool_full"
    assert not MatchDecision.objects.exists()


def test_confirm_refuses_a_closed_onboarding_and_a_second_primary(cast: Cast) -> None:
    s = scene(cast)
    row = selectors_matching.batch(organisation=cast.organisation).rows[0]
    designate(cast, s.onboarding, s.bart.employee)
    with pytest.raises(ValidationError) as refused:
        services_matching.match_confirm(decision=decision_for(row), by=acting(cast, Role.HR))
    assert list(refused.value.error_dict) == ["guide"]  # guide_designate's is_backup error
    assert "already has" in refused.value.messages[0]
    s.onboarding.status = OnboardingStatus.CANCELLED
    s.onboarding.save()
    with pytest.raises(ValidationError) as closed:
        services_matching.match_confirm(decision=decision_for(row), by=acting(cast, Role.HR))
    assert closed.value.error_dict["guide"][0].code == "onboarding_closed"


@pytest.mark.parametrize("role", [Role.MANAGER, Role.EMPLOYEE, Role.PREVENTION_ADVISER])
def test_only_hr_and_administrators_confirm(cast: Cast, role: Role) -> None:
    scene(cast)
    row = selectors_matching.batch(organisation=cast.organisation).rows[0]
    with pytest.raises(PermissionDenied):
        services_matching.match_confirm(decision=decision_for(row), by=acting(cast, role))
    assert not Guidance.objects.exists()


def test_batch_confirm_is_all_or_nothing(cast: Cast) -> None:
    s = scene(cast)
    second = newcomer(cast)
    third = newcomer(cast)
    rows = {
        row.onboarding.pk: row
        for row in selectors_matching.batch(organisation=cast.organisation).rows
    }
    assert len(rows) == 3
    good = decision_for(rows[s.onboarding.pk])
    bad = decision_for(rows[second.pk], chosen=cast.employees[Role.MANAGER], reason="")
    with pytest.raises(ValidationError) as refused:
        services_matching.match_confirm_batch(
            decisions=[good, bad, decision_for(rows[third.pk])], by=acting(cast, Role.HR)
        )
    assert set(refused.value.error_dict) == {f"reason_{second.pk}"}
    assert not Guidance.objects.exists()
    assert not MatchDecision.objects.exists()
    assert not AuditEntry.objects.filter(action="onboarding.match_decided").exists()
    matches = services_matching.match_confirm_batch(
        decisions=[decision_for(row) for row in rows.values()], by=acting(cast, Role.HR)
    )
    assert len(matches) == 3
    assert Guidance.objects.count() == 3


def test_batch_confirm_counts_places_across_the_batch(cast: Cast) -> None:
    s = scene(cast)
    others = [newcomer(cast), newcomer(cast)]
    rows = selectors_matching.batch(organisation=cast.organisation).rows
    # Anna has two places; giving her all three newcomers is refused as a whole.
    decisions = [decision_for(row, chosen=s.anna.employee, reason="Wanted") for row in rows]
    with pytest.raises(ValidationError) as refused:
        services_matching.match_confirm_batch(decisions=decisions, by=acting(cast, Role.HR))
    assert len(rows) == 1 + len(others)
    # The third one in the batch's order (by start, then name) finds her full.
    assert list(refused.value.error_dict) == [f"guide_{rows[2].onboarding.pk}"]
    assert refused.value.error_dict[f"guide_{rows[2].onboarding.pk}"][0].code == "pool_full"
    assert not Guidance.objects.exists()


def test_batch_confirm_needs_a_decision(cast: Cast) -> None:
    with pytest.raises(ValidationError) as refused:
        services_matching.match_confirm_batch(decisions=[], by=acting(cast, Role.HR))
    assert refused.value.error_dict["__all__"][0].code == "nothing_chosen"
