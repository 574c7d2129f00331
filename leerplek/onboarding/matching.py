"""Proposing peters/meters (MEN-03): score every (newcomer, candidate) pair, then assign.

Pure functions on plain data, no database: the selectors in `selectors_matching.py` build the
`Newcomer` and `Candidate` rows, this module scores them and finds the best assignment.

The score of a pair is a sum of points, with the weights of `settings.LEERPLEK_MATCH_WEIGHTS`:

- same_job: same function; same_workstation: same workstation;
- teaches_gap: per competence the newcomer lacks that the candidate holds at a level that may
  train others (O on ILUO); covers_gap: per such competence held at a level that only counts for
  coverage (U on ILUO) - a competence counts once, as the better of the two;
- same_shift; same_unit; shared_language: at least one language in common;
- free_place: per place the candidate still has free (in a batch, per place left after the
  newcomers this proposal already gives him).

A pair is infeasible when the candidate is the newcomer himself, has no free place, has left (or
leaves) before the newcomer starts, or already guides him.

`propose` scores the whole batch at once with numpy and assigns with SciPy's
`linear_sum_assignment` (Hungarian method, maximising): each candidate is one column per free
place, so a peter with two free places can take two newcomers of a batch. The assignment first
gives a guide to as many newcomers as it can, then maximises the total score. 500 newcomers by
2,000 candidates take well under a second (benchmarks/matching.py).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from scipy.optimize import linear_sum_assignment  # type: ignore[import-untyped]

# The order in which reasons are shown; also the keys of LEERPLEK_MATCH_WEIGHTS.
REASON_CODES = (
    "same_job",
    "same_workstation",
    "teaches_gap",
    "covers_gap",
    "same_shift",
    "same_unit",
    "shared_language",
    "free_place",
)

REASON_LABELS = {
    "same_job": _("Same function"),
    "same_workstation": _("Same workstation"),
    "teaches_gap": _("May teach what the newcomer lacks"),
    "covers_gap": _("Masters what the newcomer lacks"),
    "same_shift": _("Same shift"),
    "same_unit": _("Same unit"),
    "shared_language": _("Speaks the newcomer's language"),
    "free_place": _("Free places"),
}

# Far below any real score: an infeasible pair is only used when nothing else is left, and such
# a result is then dropped.
INFEASIBLE = -1e9
FAR_FUTURE = datetime.date.max.toordinal()


def weights() -> dict[str, float]:
    """The weights, read when called (never at import: tests override the setting)."""
    configured: Mapping[str, Any] = settings.LEERPLEK_MATCH_WEIGHTS
    return {code: float(configured.get(code, 0)) for code in REASON_CODES}


@dataclass(frozen=True)
class Newcomer:
    id: int
    job_id: int | None = None
    workstation_id: int | None = None
    shift_id: int | None = None
    unit_id: int | None = None
    languages: frozenset[str] = frozenset()
    gaps: frozenset[int] = frozenset()  # competence ids he lacks
    guide_ids: frozenset[int] = frozenset()  # people who guide him already (any kind)
    starts_on: datetime.date | None = None  # a guide must still work here from that day


@dataclass(frozen=True)
class Candidate:
    id: int
    job_id: int | None = None
    workstation_id: int | None = None
    shift_id: int | None = None
    unit_id: int | None = None
    languages: frozenset[str] = frozenset()
    teaches: frozenset[int] = frozenset()  # competence ids at a level that may train
    covers: frozenset[int] = frozenset()  # competence ids at a level that counts for coverage
    free: int = 0  # newcomers he can still take
    exit_date: datetime.date | None = None


@dataclass(frozen=True)
class Reason:
    """One reason a candidate fits: its code, its points and what it is about (competence ids,
    language codes, or the number of free places)."""

    code: str
    points: float
    items: tuple[Any, ...] = ()

    def as_json(self, competence_names: Mapping[int, str] | None = None) -> dict[str, Any]:
        items: list[Any] = list(self.items)
        if self.code in ("teaches_gap", "covers_gap") and competence_names is not None:
            items = [competence_names.get(pk, str(pk)) for pk in self.items]
        return {"code": self.code, "points": self.points, "items": items}


@dataclass(frozen=True)
class Proposal:
    newcomer_id: int
    candidate_id: int
    score: float
    reasons: tuple[Reason, ...]


@dataclass
class Match:
    """What matching says about one newcomer: the proposal of the optimal assignment (None when
    no candidate is feasible) and the next best candidates."""

    newcomer_id: int
    proposal: Proposal | None
    alternatives: list[Proposal] = field(default_factory=list)


def explain(
    newcomer: Newcomer, candidate: Candidate, *, taken: int = 0, weight: Mapping[str, float]
) -> tuple[Reason, ...]:
    """The reasons `candidate` fits `newcomer`, with points; `taken` is how many newcomers of
    the same batch the candidate already receives. Their points add up to the score."""
    reasons = []

    def add(code: str, points: float, items: tuple[Any, ...] = ()) -> None:
        if points > 0:
            reasons.append(Reason(code, points, items))

    if newcomer.job_id is not None and newcomer.job_id == candidate.job_id:
        add("same_job", weight["same_job"])
    if newcomer.workstation_id is not None and newcomer.workstation_id == candidate.workstation_id:
        add("same_workstation", weight["same_workstation"])
    teaches = tuple(sorted(newcomer.gaps & candidate.teaches))
    covers = tuple(sorted((newcomer.gaps & candidate.covers) - candidate.teaches))
    add("teaches_gap", weight["teaches_gap"] * len(teaches), teaches)
    add("covers_gap", weight["covers_gap"] * len(covers), covers)
    if newcomer.shift_id is not None and newcomer.shift_id == candidate.shift_id:
        add("same_shift", weight["same_shift"])
    if newcomer.unit_id is not None and newcomer.unit_id == candidate.unit_id:
        add("same_unit", weight["same_unit"])
    shared = tuple(sorted(newcomer.languages & candidate.languages))
    if shared:
        add("shared_language", weight["shared_language"], shared)
    free = max(candidate.free - taken, 0)
    add("free_place", weight["free_place"] * free, (free,))
    return tuple(reasons)


def is_feasible(newcomer: Newcomer, candidate: Candidate, *, today: datetime.date) -> bool:
    day = max(today, newcomer.starts_on or today)
    return (
        candidate.id != newcomer.id
        and candidate.free > 0
        and (candidate.exit_date is None or candidate.exit_date >= day)
        and candidate.id not in newcomer.guide_ids
    )


def _codes(values: Sequence[int | None], missing: int) -> np.ndarray:
    return np.array([missing if value is None else value for value in values], dtype=np.int64)


def _language_bits(
    newcomers: Sequence[Newcomer], candidates: Sequence[Candidate]
) -> tuple[np.ndarray, np.ndarray]:
    """Each person's languages as bits of one integer (the first 63 distinct codes; a rare
    language beyond that is shown in the reasons but not scored)."""
    bit: dict[str, int] = {}
    everyone: list[Newcomer | Candidate] = [*newcomers, *candidates]
    for person in everyone:
        for code in sorted(person.languages):
            if code not in bit and len(bit) < 63:
                bit[code] = 1 << len(bit)

    def mask(person: Newcomer | Candidate) -> int:
        return sum(bit.get(code, 0) for code in person.languages)

    return (
        np.array([mask(person) for person in newcomers], dtype=np.int64),
        np.array([mask(person) for person in candidates], dtype=np.int64),
    )


def score_matrix(
    newcomers: Sequence[Newcomer],
    candidates: Sequence[Candidate],
    *,
    weight: Mapping[str, float] | None = None,
    today: datetime.date | None = None,
) -> np.ndarray:
    """The score of every pair as an N x C float array; an infeasible pair is -inf."""
    w = weight or weights()
    n, c = len(newcomers), len(candidates)
    if n == 0 or c == 0:
        return np.zeros((n, c))
    today = today or datetime.date.today()

    def same(attr: str) -> np.ndarray:
        # None never matches: -1 for newcomers, -2 for candidates.
        left = _codes([getattr(p, attr) for p in newcomers], -1)
        right = _codes([getattr(p, attr) for p in candidates], -2)
        return left[:, None] == right[None, :]

    score = np.zeros((n, c), dtype=np.float64)
    for attr, code in (
        ("job_id", "same_job"),
        ("workstation_id", "same_workstation"),
        ("shift_id", "same_shift"),
        ("unit_id", "same_unit"),
    ):
        if w[code]:
            score += w[code] * same(attr)
    # Gaps taught or covered: one column per competence some newcomer lacks.
    column = {pk: i for i, pk in enumerate(sorted(set().union(*(p.gaps for p in newcomers))))}
    if column:
        gaps = np.zeros((n, len(column)), dtype=np.float32)
        teaches = np.zeros((c, len(column)), dtype=np.float32)
        covers = np.zeros((c, len(column)), dtype=np.float32)
        for row, person in enumerate(newcomers):
            gaps[row, [column[pk] for pk in person.gaps]] = 1
        for row, candidate in enumerate(candidates):
            taught = [column[pk] for pk in candidate.teaches if pk in column]
            teaches[row, taught] = 1
            covers[row, [column[pk] for pk in candidate.covers if pk in column]] = 1
            covers[row, taught] = 0  # counted once, as teaching
        score += w["teaches_gap"] * (gaps @ teaches.T)
        score += w["covers_gap"] * (gaps @ covers.T)
    left_bits, right_bits = _language_bits(newcomers, candidates)
    score += w["shared_language"] * ((left_bits[:, None] & right_bits[None, :]) != 0)
    free = np.array([max(p.free, 0) for p in candidates], dtype=np.float64)
    score += w["free_place"] * free[None, :]

    # Infeasible pairs.
    newcomer_ids = np.array([p.id for p in newcomers], dtype=np.int64)
    candidate_ids = np.array([p.id for p in candidates], dtype=np.int64)
    exits = np.array(
        [p.exit_date.toordinal() if p.exit_date else FAR_FUTURE for p in candidates],
        dtype=np.int64,
    )
    days = np.array(
        [max(today, p.starts_on or today).toordinal() for p in newcomers], dtype=np.int64
    )
    blocked = (newcomer_ids[:, None] == candidate_ids[None, :]) | (exits[None, :] < days[:, None])
    blocked |= (free <= 0)[None, :]
    index = {pk: i for i, pk in enumerate(candidate_ids.tolist())}
    for row, person in enumerate(newcomers):
        for guide_id in person.guide_ids:
            if guide_id in index:
                blocked[row, index[guide_id]] = True
    score[blocked] = -np.inf
    return score


def assign(
    score: np.ndarray, free: Sequence[int], free_weight: float
) -> list[tuple[int, int, int]]:
    """The optimal assignment of rows (newcomers) to columns (candidates) with at most `free[j]`
    rows per column: (row, column, places of that column taken before this one) triples.

    Each candidate becomes one column per free place (no more than there are newcomers); the
    k-th place of a candidate is worth `k * free_weight` less, as the free-place points fall.
    """
    n, c = score.shape
    if n == 0 or c == 0:
        return []
    places = np.minimum(np.maximum(np.asarray(free, dtype=np.int64), 0), n)
    columns = np.repeat(np.arange(c), places)
    if columns.size == 0:
        return []
    starts = np.repeat(np.cumsum(places) - places, places)
    taken = np.arange(columns.size) - starts
    expanded = score[:, columns] - free_weight * taken[None, :]
    expanded[~np.isfinite(expanded)] = INFEASIBLE
    rows, cols = linear_sum_assignment(expanded, maximize=True)
    return [
        (int(row), int(columns[col]), int(taken[col]))
        for row, col in zip(rows, cols, strict=True)
        if expanded[row, col] > INFEASIBLE / 2
    ]


def propose(
    newcomers: Sequence[Newcomer],
    candidates: Sequence[Candidate],
    *,
    alternatives: int = 3,
    weight: Mapping[str, float] | None = None,
    today: datetime.date | None = None,
) -> list[Match]:
    """One `Match` per newcomer, in the given order: the optimal proposal for the batch (with
    its reasons) and the `alternatives` next best feasible candidates for him alone."""
    w = dict(weight or weights())
    today = today or datetime.date.today()
    score = score_matrix(newcomers, candidates, weight=w, today=today)
    chosen = {
        row: (col, taken)
        for row, col, taken in assign(score, [p.free for p in candidates], w["free_place"])
    }
    matches = []
    keep = min(alternatives + 1, len(candidates))
    best = np.empty((len(newcomers), 0), dtype=np.int64)
    if keep and len(newcomers):
        best = (
            np.argpartition(-score, keep - 1, axis=1)[:, :keep]
            if keep < len(candidates)
            else np.tile(np.arange(keep), (len(newcomers), 1))
        )
    for row, newcomer in enumerate(newcomers):
        proposal = None
        if row in chosen:
            col, taken = chosen[row]
            reasons = explain(newcomer, candidates[col], taken=taken, weight=w)
            proposal = Proposal(
                newcomer.id, candidates[col].id, sum(r.points for r in reasons), reasons
            )
        others: list[Proposal] = []
        if keep:
            line = score[row]
            # Highest score first; equal scores in the candidates' order (by name).
            for col in sorted(best[row].tolist(), key=lambda j: (-line[j], j)):
                if not np.isfinite(line[col]) or (row in chosen and col == chosen[row][0]):
                    continue
                reasons = explain(newcomer, candidates[col], weight=w)
                others.append(Proposal(newcomer.id, candidates[col].id, float(line[col]), reasons))
        matches.append(Match(newcomer.id, proposal, others[:alternatives]))
    return matches


def reason_text(reason: Mapping[str, Any]) -> str:
    """A reason stored as JSON (`Reason.as_json`) in words, in the current language."""
    code, items = reason.get("code", ""), reason.get("items", [])
    names = ", ".join(str(item) for item in items)
    if code == "teaches_gap":
        return ngettext(
            "May teach %(count)s competence the newcomer lacks: %(names)s",
            "May teach %(count)s competences the newcomer lacks: %(names)s",
            len(items),
        ) % {"count": len(items), "names": names}
    if code == "covers_gap":
        return ngettext(
            "Masters %(count)s competence the newcomer lacks: %(names)s",
            "Masters %(count)s competences the newcomer lacks: %(names)s",
            len(items),
        ) % {"count": len(items), "names": names}
    if code == "shared_language":
        return gettext("Speaks %(languages)s") % {"languages": names}
    if code == "free_place":
        count = int(items[0]) if items else 0
        return ngettext("%(count)s free place", "%(count)s free places", count) % {"count": count}
    label = REASON_LABELS.get(code)
    return str(label) if label is not None else code
