"""Time matching 500 newcomers with 2,000 candidates: `python -m benchmarks.matching`.

Pure computation on synthetic in-memory data (no database): `matching.propose` scores every
pair with numpy, assigns with SciPy's `linear_sum_assignment` (candidates expanded per free
place) and explains the proposal and three alternatives per newcomer. The floor, timed the same
way in the same run, is a numpy sort of a 500 x 2,000 float array: the cheapest whole-matrix
operation there is. Goal: median under one second. `benchmarks/run.py` adds this row to its
table.
"""

from __future__ import annotations

import datetime
import os
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from typing import Any

NEWCOMERS = 500
CANDIDATES = 2_000
COMPETENCES = 300
LANGUAGES = ("nl", "fr", "en", "pl", "ro", "ar", "tr", "bg", "pt", "es")


def data(
    newcomers: int = NEWCOMERS, candidates: int = CANDIDATES, seed: int = 5
) -> tuple[list[Any], list[Any]]:
    """A realistic batch: 40 functions, 120 workstations, 60 units, 9 shifts, 300 competences;
    each newcomer lacks 3 to 8 competences, each candidate may train 10 to 30 and covers as many
    more; most candidates have one or two free places, some none."""
    import numpy as np

    from leerplek.onboarding.matching import Candidate, Newcomer

    rng = np.random.default_rng(seed)

    def languages() -> frozenset[str]:
        count = int(rng.integers(1, 4))
        return frozenset(str(code) for code in rng.choice(LANGUAGES, size=count, replace=False))

    def some(low: int, high: int) -> frozenset[int]:
        count = int(rng.integers(low, high + 1))
        return frozenset(int(pk) for pk in rng.choice(COMPETENCES, size=count, replace=False))

    start = datetime.date(2026, 12, 7)
    people = [
        Newcomer(
            id=i + 1,
            job_id=int(rng.integers(40)),
            workstation_id=int(rng.integers(120)),
            shift_id=int(rng.integers(9)),
            unit_id=int(rng.integers(60)),
            languages=languages(),
            gaps=some(3, 8),
            starts_on=start,
        )
        for i in range(newcomers)
    ]
    pool = [
        Candidate(
            id=100_000 + j,
            job_id=int(rng.integers(40)),
            workstation_id=int(rng.integers(120)),
            shift_id=int(rng.integers(9)),
            unit_id=int(rng.integers(60)),
            languages=languages(),
            teaches=some(10, 30),
            covers=some(10, 30),
            free=int(rng.choice([0, 1, 1, 2, 2, 3])),
        )
        for j in range(candidates)
    ]
    return people, pool


def _time(work: Callable[[], Any], warmup: int, runs: int) -> tuple[float, float]:
    for _ in range(warmup):
        work()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95


def row(warmup: int = 2, runs: int = 7) -> dict[str, Any]:
    """The measurement as the fields of `benchmarks.run.Row`."""
    import numpy as np

    from leerplek.onboarding import matching

    people, pool = data()
    weight = {
        "same_job": 30,
        "same_workstation": 20,
        "teaches_gap": 10,
        "covers_gap": 4,
        "same_shift": 15,
        "same_unit": 10,
        "shared_language": 15,
        "free_place": 5,
    }
    today = datetime.date(2026, 11, 25)
    matches: list[Any] = []

    def work() -> None:
        matches[:] = matching.propose(people, pool, weight=weight, today=today)

    values = np.random.default_rng(1).random((NEWCOMERS, CANDIDATES))
    floor_ms, _ = _time(lambda: np.sort(values, axis=None), warmup, runs)
    median_ms, p95_ms = _time(work, warmup, runs)
    assert sum(1 for match in matches if match.proposal) == NEWCOMERS
    return {
        "name": f"matching {NEWCOMERS} x {CANDIDATES} (score + assign)",
        "url": "benchmarks/matching.py",
        "rows": NEWCOMERS,
        "columns": CANDIDATES,
        "queries": 0,
        "median_ms": round(median_ms, 2),
        "p95_ms": round(p95_ms, 2),
        "floor_ms": round(floor_ms, 2),
        "floor_queries": 0,
        "overhead_ms": 0.0,
        "ratio": round(median_ms / floor_ms, 2),
    }


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leerplek.settings")
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    result = row(warmup=2, runs=9)
    print(
        f"{result['name']}: median {result['median_ms']:.0f} ms, p95 {result['p95_ms']:.0f} ms; "
        f"floor (numpy sort of {NEWCOMERS} x {CANDIDATES}) {result['floor_ms']:.1f} ms; "
        f"ratio {result['ratio']:.1f}x"
    )
    met = result["median_ms"] < 1000
    print(f"goal (< 1 s): {'met' if met else 'MISSED'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
