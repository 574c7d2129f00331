"""The pure matching functions: scoring rules, reasons, capacity and optimality."""

from __future__ import annotations

import datetime
import itertools

import numpy as np
import pytest
from django.test import override_settings

from leerplek.onboarding import matching
from leerplek.onboarding.matching import Candidate, Newcomer

TODAY = datetime.date(2026, 11, 25)
W = {
    "same_job": 30,
    "same_workstation": 20,
    "teaches_gap": 10,
    "covers_gap": 4,
    "same_shift": 15,
    "same_unit": 10,
    "shared_language": 15,
    "free_place": 5,
}


def score(newcomer: Newcomer, candidate: Candidate) -> float:
    return float(matching.score_matrix([newcomer], [candidate], weight=W, today=TODAY)[0, 0])


def codes(newcomer: Newcomer, candidate: Candidate) -> dict[str, float]:
    return {r.code: r.points for r in matching.explain(newcomer, candidate, weight=W)}


@pytest.mark.parametrize(
    ("newcomer", "candidate", "expected"),
    [
        (Newcomer(1, job_id=7), Candidate(2, job_id=7, free=1), {"same_job": 30, "free_place": 5}),
        (Newcomer(1, job_id=7), Candidate(2, job_id=8, free=1), {"free_place": 5}),
        (Newcomer(1), Candidate(2, free=1), {"free_place": 5}),  # None never matches None
        (
            Newcomer(1, workstation_id=3, shift_id=4, unit_id=5),
            Candidate(2, workstation_id=3, shift_id=4, unit_id=5, free=2),
            {"same_workstation": 20, "same_shift": 15, "same_unit": 10, "free_place": 10},
        ),
        (
            Newcomer(1, languages=frozenset({"nl", "pl"})),
            Candidate(2, languages=frozenset({"pl", "fr"}), free=1),
            {"shared_language": 15, "free_place": 5},
        ),
        (
            Newcomer(1, gaps=frozenset({10, 11, 12})),
            Candidate(2, teaches=frozenset({10, 11}), covers=frozenset({11, 12, 99}), free=1),
            {"teaches_gap": 20, "covers_gap": 4, "free_place": 5},
        ),
    ],
)
def test_each_rule_scores_its_weight(
    newcomer: Newcomer, candidate: Candidate, expected: dict[str, float]
) -> None:
    assert codes(newcomer, candidate) == expected
    assert score(newcomer, candidate) == sum(expected.values())


def test_a_competence_taught_and_covered_counts_once_as_taught() -> None:
    newcomer = Newcomer(1, gaps=frozenset({10}))
    candidate = Candidate(2, teaches=frozenset({10}), covers=frozenset({10}), free=1)
    assert codes(newcomer, candidate) == {"teaches_gap": 10, "free_place": 5}
    assert score(newcomer, candidate) == 15


def test_reasons_name_what_they_are_about() -> None:
    newcomer = Newcomer(1, gaps=frozenset({10, 11}), languages=frozenset({"pl", "nl"}))
    candidate = Candidate(2, teaches=frozenset({11, 10}), languages=frozenset({"nl", "pl"}), free=2)
    reasons = {r.code: r for r in matching.explain(newcomer, candidate, weight=W)}
    assert reasons["teaches_gap"].items == (10, 11)
    assert reasons["shared_language"].items == ("nl", "pl")
    assert reasons["free_place"].items == (2,)
    as_json = reasons["teaches_gap"].as_json({10: "HACCP", 11: "Forklift"})
    assert as_json == {"code": "teaches_gap", "points": 20, "items": ["HACCP", "Forklift"]}
    assert matching.reason_text(as_json) == (
        "May teach 2 competences the newcomer lacks: HACCP, Forklift"
    )
    assert matching.reason_text({"code": "free_place", "points": 5, "items": [1]}) == (
        "1 free place"
    )
    assert matching.reason_text({"code": "same_job", "points": 30, "items": []}) == (
        "Same function"
    )


@pytest.mark.parametrize(
    ("newcomer", "candidate"),
    [
        (Newcomer(1), Candidate(1, free=1)),  # himself
        (Newcomer(1), Candidate(2, free=0)),  # no free place
        (Newcomer(1, guide_ids=frozenset({2})), Candidate(2, free=1)),  # already his guide
        (Newcomer(1), Candidate(2, free=1, exit_date=TODAY - datetime.timedelta(days=1))),  # left
        (  # leaves before the newcomer starts
            Newcomer(1, starts_on=TODAY + datetime.timedelta(days=10)),
            Candidate(2, free=1, exit_date=TODAY + datetime.timedelta(days=5)),
        ),
    ],
)
def test_infeasible_pairs_are_never_proposed(newcomer: Newcomer, candidate: Candidate) -> None:
    assert score(newcomer, candidate) == -np.inf
    assert not matching.is_feasible(newcomer, candidate, today=TODAY)
    [match] = matching.propose([newcomer], [candidate], weight=W, today=TODAY)
    assert match.proposal is None
    assert match.alternatives == []


def test_leaving_after_the_start_is_fine() -> None:
    newcomer = Newcomer(1, starts_on=TODAY)
    candidate = Candidate(2, free=1, exit_date=TODAY + datetime.timedelta(days=90))
    assert matching.is_feasible(newcomer, candidate, today=TODAY)
    assert score(newcomer, candidate) == 5


@override_settings(LEERPLEK_MATCH_WEIGHTS={**W, "same_job": 100})
def test_weights_come_from_the_settings_when_called() -> None:
    newcomer, candidate = Newcomer(1, job_id=3), Candidate(2, job_id=3, free=1)
    assert matching.score_matrix([newcomer], [candidate], today=TODAY)[0, 0] == 105


def test_batch_respects_capacity_and_spreads_the_load() -> None:
    # Both newcomers prefer Anna (same job), who has one free place.
    newcomers = [Newcomer(1, job_id=5), Newcomer(2, job_id=5, unit_id=9)]
    candidates = [Candidate(10, job_id=5, free=1), Candidate(11, unit_id=9, free=1)]
    matches = matching.propose(newcomers, candidates, weight=W, today=TODAY)
    chosen = [m.proposal.candidate_id if m.proposal else None for m in matches]
    assert sorted(chosen) == [10, 11]  # never twice the same with one free place
    # Optimal: newcomer 2 also gets points from the unit, so he takes Bart.
    assert chosen == [10, 11]
    assert [a.candidate_id for a in matches[1].alternatives] == [10]


def test_a_peter_with_two_places_takes_two_newcomers() -> None:
    newcomers = [Newcomer(1, job_id=5), Newcomer(2, job_id=5), Newcomer(3, job_id=5)]
    candidates = [Candidate(10, job_id=5, free=2), Candidate(11, free=1)]
    matches = matching.propose(newcomers, candidates, weight=W, today=TODAY)
    chosen = [m.proposal.candidate_id for m in matches if m.proposal]
    assert sorted(chosen) == [10, 10, 11]
    # The second newcomer given to the same peter finds one free place less.
    free = sorted(
        {r.code: r.points for r in m.proposal.reasons}["free_place"]
        for m in matches
        if m.proposal and m.proposal.candidate_id == 10
    )
    assert free == [5, 10]
    for m in matches:
        assert m.proposal
        assert m.proposal.score == sum(r.points for r in m.proposal.reasons)


def test_more_newcomers_than_places_leaves_the_rest_without_proposal() -> None:
    newcomers = [Newcomer(1, job_id=5), Newcomer(2), Newcomer(3)]
    candidates = [Candidate(10, job_id=5, free=1)]
    matches = matching.propose(newcomers, candidates, weight=W, today=TODAY)
    assert matches[0].proposal
    assert matches[0].proposal.candidate_id == 10
    assert [m.proposal for m in matches[1:]] == [None, None]
    # Still shown as the alternative: HR may prefer him for another newcomer.
    assert [a.candidate_id for a in matches[1].alternatives] == [10]


def test_as_many_newcomers_as_possible_get_a_guide_before_the_score_counts() -> None:
    # Newcomer 1 fits Anna much better, but only Anna can take newcomer 2 (Bart is his guide).
    newcomers = [
        Newcomer(1, job_id=5, workstation_id=6, unit_id=7),
        Newcomer(2, guide_ids=frozenset({11})),
    ]
    candidates = [
        Candidate(10, job_id=5, workstation_id=6, unit_id=7, free=1),
        Candidate(11, free=1),
    ]
    chosen = [
        m.proposal.candidate_id if m.proposal else None
        for m in matching.propose(newcomers, candidates, weight=W, today=TODAY)
    ]
    assert chosen == [11, 10]


def _brute_force(newcomers: list[Newcomer], candidates: list[Candidate]) -> tuple[int, float]:
    """(newcomers with a guide, total score) of the best assignment, tried one by one."""
    score = matching.score_matrix(newcomers, candidates, weight=W, today=TODAY)
    best = (0, 0.0)
    options = [None, *range(len(candidates))]
    for choice in itertools.product(options, repeat=len(newcomers)):
        used: dict[int, int] = {}
        total, count, ok = 0.0, 0, True
        for row, col in enumerate(choice):
            if col is None:
                continue
            used[col] = used.get(col, 0) + 1
            if not np.isfinite(score[row, col]) or used[col] > candidates[col].free:
                ok = False
                break
            # The k-th newcomer of one peter finds k free places less.
            total += score[row, col] - W["free_place"] * (used[col] - 1)
            count += 1
        if ok and (count, total) > best:
            best = (count, total)
    return best


@pytest.mark.parametrize("seed", range(12))
def test_the_assignment_is_optimal_on_small_cases(seed: int) -> None:
    rng = np.random.default_rng(seed)
    newcomers = [
        Newcomer(
            100 + i,
            job_id=int(rng.integers(1, 3)),
            unit_id=int(rng.integers(1, 3)),
            languages=frozenset(rng.choice(["nl", "fr", "pl"], size=1).tolist()),
            gaps=frozenset(rng.choice(range(6), size=2, replace=False).tolist()),
            guide_ids=frozenset({200}) if i == 0 else frozenset(),
        )
        for i in range(5)
    ]
    candidates = [
        Candidate(
            200 + j,
            job_id=int(rng.integers(1, 3)),
            unit_id=int(rng.integers(1, 3)),
            languages=frozenset(rng.choice(["nl", "fr", "pl"], size=2, replace=False).tolist()),
            teaches=frozenset(rng.choice(range(6), size=2, replace=False).tolist()),
            covers=frozenset(rng.choice(range(6), size=2, replace=False).tolist()),
            free=int(rng.integers(0, 3)),
        )
        for j in range(4)
    ]
    matches = matching.propose(newcomers, candidates, weight=W, today=TODAY)
    proposals = [m.proposal for m in matches if m.proposal]
    got = (len(proposals), sum(p.score for p in proposals))
    expected = _brute_force(newcomers, candidates)
    assert got[0] == expected[0]
    assert got[1] == pytest.approx(expected[1])
    by_candidate = {c.id: c.free for c in candidates}
    for candidate_id in {p.candidate_id for p in proposals}:
        assert sum(p.candidate_id == candidate_id for p in proposals) <= by_candidate[candidate_id]


def test_alternatives_are_the_next_best_in_order() -> None:
    newcomer = Newcomer(1, job_id=5, unit_id=6, workstation_id=7)
    candidates = [
        Candidate(10, free=1),
        Candidate(11, job_id=5, unit_id=6, workstation_id=7, free=1),
        Candidate(12, job_id=5, free=1),
        Candidate(13, unit_id=6, free=1),
        Candidate(14, workstation_id=7, free=1),
        Candidate(15, free=0, job_id=5),
    ]
    [match] = matching.propose([newcomer], candidates, weight=W, today=TODAY)
    assert match.proposal
    assert match.proposal.candidate_id == 11
    assert [a.candidate_id for a in match.alternatives] == [12, 14, 13]
    assert [a.score for a in match.alternatives] == [35, 25, 15]


def test_empty_inputs() -> None:
    assert matching.propose([], [Candidate(1, free=1)], weight=W, today=TODAY) == []
    [match] = matching.propose([Newcomer(1)], [], weight=W, today=TODAY)
    assert match.proposal is None
    assert match.alternatives == []
