"""Reads of the machine ranking (OJT-09) and the usage statistics (OJT-16).

- `round_list`: the rounds of an organisation with how many people scored each.
- `round_machines`: the workstations a round scores (its unit and sub-units; machines only or
  every workstation).
- `scoring_sheet`: those machines with the scorer's own earlier scores.
- `ranking_result`: the machines ordered by their weighted score, with the per-question averages,
  the number of scorers and whether an approved work instruction exists.
- `rounds_to_score`: open rounds a user has not scored yet (the home card).
- `usage_statistics`: who follows, completed or stopped programmes, per programme and per
  audience; modules confirmed in the last 12 months; days from start to completion.

Every function runs a fixed number of queries, whatever the number of machines, scorers or
learners. The formula of the ranking is in `weighted_score` and in docs/training-ranking-usage.md.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
)
from django.utils import timezone

from leerplek.people.models import User, Workstation
from leerplek.training.models import (
    AssignmentStatus,
    Audience,
    InstructionVersion,
    MachineScore,
    ProgrammeAssignment,
    RankingQuestion,
    RankingRound,
    Signoff,
    VersionStatus,
)

QUESTIONS: tuple[str, ...] = tuple(RankingQuestion.values)


def ranking_weights() -> dict[str, int]:
    """The weight of each question, from settings.LEERPLEK_RANKING_WEIGHTS (read at call time,
    so a changed setting applies to every result page, closed rounds included). A question
    missing from the setting weighs 1; a negative weight counts as 0."""
    configured = getattr(settings, "LEERPLEK_RANKING_WEIGHTS", {}) or {}
    return {question: max(0, int(configured.get(question, 1))) for question in QUESTIONS}


def weighted_score(averages: dict[str, float | None], weights: dict[str, int]) -> float | None:
    """The weighted mean of the per-question averages: sum(weight x average) / sum(weights), on
    the same 1-5 scale as the answers. None when nobody scored the machine."""
    if any(averages.get(question) is None for question in QUESTIONS):
        return None
    total_weight = sum(weights.values())
    if total_weight == 0:
        return None
    return sum(weights[q] * float(averages[q] or 0) for q in QUESTIONS) / total_weight


def _round2(value: float | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- Rounds --------------------------------------------------------------------------------------


def round_list(*, organisation_id: int, scorer: User | None = None) -> list[RankingRound]:
    """The rounds, newest first, each with `scorer_count` and (for `scorer`) `scored_by_me`."""
    queryset = RankingRound.objects.filter(organisation_id=organisation_id).select_related(
        "unit", "closed_by"
    )
    queryset = queryset.annotate(scorer_count=Count("scores__scorer", distinct=True))
    if scorer is not None:
        queryset = queryset.annotate(
            mine=Count("scores", filter=Q(scores__scorer=scorer), distinct=True)
        )
    rows: list[RankingRound] = list(queryset.order_by("-opened_on", "-id"))
    for row in rows:
        row.scored_by_me = bool(getattr(row, "mine", 0))  # type: ignore[attr-defined]
    return rows


def round_machines(ranking_round: RankingRound) -> QuerySet[Workstation]:
    """The workstations `ranking_round` scores: those of its unit and the units below it (the
    whole organisation without a unit), only the machines unless the round says otherwise."""
    queryset = Workstation.objects.filter(organisation_id=ranking_round.organisation_id)
    if ranking_round.unit is not None:
        queryset = queryset.filter(unit__path__startswith=ranking_round.unit.path)
    if ranking_round.machines_only:
        queryset = queryset.filter(is_machine=True)
    return queryset.select_related("unit").order_by("name", "code", "id")


@dataclass
class ScoringSheet:
    round: RankingRound
    machines: list[Workstation]
    # workstation id -> the scorer's earlier score
    mine: dict[int, MachineScore]


def scoring_sheet(*, ranking_round: RankingRound, scorer: User) -> ScoringSheet:
    """The machines to score and the scorer's earlier scores (two queries)."""
    machines = list(round_machines(ranking_round))
    mine = {
        score.workstation_id: score
        for score in MachineScore.objects.filter(round=ranking_round, scorer=scorer)
    }
    return ScoringSheet(round=ranking_round, machines=machines, mine=mine)


def rounds_to_score(*, organisation_id: int, scorer: User, limit: int = 5) -> list[RankingRound]:
    """Open rounds `scorer` has not scored a single machine of (one query)."""
    return list(
        RankingRound.objects.filter(organisation_id=organisation_id, closed_on__isnull=True)
        .exclude(scores__scorer=scorer)
        .select_related("unit")
        .order_by("opened_on", "id")[:limit]
    )


# --- The result ----------------------------------------------------------------------------------


@dataclass
class RankedMachine:
    workstation: Workstation
    rank: int | None
    score: Decimal | None
    scorer_count: int
    # question -> average over the scorers (None when nobody scored the machine)
    averages: dict[str, Decimal | None]
    # (pk, code) of the approved work instructions of this machine
    instructions: list[tuple[int, str]] = field(default_factory=list)

    @property
    def has_instruction(self) -> bool:
        return bool(self.instructions)

    @property
    def percent(self) -> int:
        """The score on a 0-100 scale (1 is 0, 5 is 100), for the bar."""
        if self.score is None:
            return 0
        return round((float(self.score) - 1) / 4 * 100)


@dataclass
class RankingResult:
    round: RankingRound
    rows: list[RankedMachine]
    weights: dict[str, int]
    scorer_count: int

    @property
    def scored(self) -> list[RankedMachine]:
        return [row for row in self.rows if row.score is not None]

    @property
    def unscored(self) -> list[RankedMachine]:
        return [row for row in self.rows if row.score is None]

    @property
    def top_without_instruction(self) -> RankedMachine | None:
        """Where instruction writing adds most: the best ranked machine that has none yet."""
        return next((row for row in self.scored if not row.has_instruction), None)


def _ranks(rows: list[RankedMachine]) -> None:
    """Standard competition ranking on the rounded score: equal scores share a rank (1, 2, 2, 4)."""
    previous: Decimal | None = None
    rank = 0
    for position, row in enumerate(rows, start=1):
        if row.score is None:
            row.rank = None
            continue
        if row.score != previous:
            rank = position
            previous = row.score
        row.rank = rank


def ranking_result(*, ranking_round: RankingRound) -> RankingResult:
    """The ranking of `ranking_round` in four queries: the machines (those of the round's scope
    and any other machine that was scored in it, e.g. one moved to another unit since), the
    per-question averages per machine, the number of scorers, and the approved instructions."""
    weights = ranking_weights()
    machines = list(
        Workstation.objects.filter(
            Q(pk__in=round_machines(ranking_round).values("pk"))
            | Q(ranking_scores__round=ranking_round)
        )
        .distinct()
        .select_related("unit")
        .order_by("name", "code", "id")
    )
    aggregates = {
        row["workstation_id"]: row
        for row in MachineScore.objects.filter(round=ranking_round)
        .values("workstation_id")
        .annotate(
            scorers=Count("scorer", distinct=True),
            **{f"avg_{question}": Avg(question) for question in QUESTIONS},
        )
        .order_by()
    }
    scorer_count = (
        MachineScore.objects.filter(round=ranking_round).values("scorer").distinct().count()
    )
    instructions: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for workstation_id, instruction_id, code in (
        InstructionVersion.objects.filter(
            organisation_id=ranking_round.organisation_id,
            status=VersionStatus.APPROVED,
            instruction__is_archived=False,
            instruction__workstation_id__in=[machine.pk for machine in machines],
        )
        .values_list("instruction__workstation_id", "instruction_id", "instruction__code")
        .distinct()
        .order_by("instruction__code")
    ):
        instructions[workstation_id].append((instruction_id, code))
    rows = []
    for machine in machines:
        aggregate = aggregates.get(machine.pk)
        raw: dict[str, float | None] = {
            question: (aggregate[f"avg_{question}"] if aggregate else None)
            for question in QUESTIONS
        }
        rows.append(
            RankedMachine(
                workstation=machine,
                rank=None,
                score=_round2(weighted_score(raw, weights)),
                scorer_count=aggregate["scorers"] if aggregate else 0,
                averages={question: _round2(raw[question]) for question in QUESTIONS},
                instructions=instructions.get(machine.pk, []),
            )
        )
    # Highest score first; on a tie, the machine more people scored; then by name.
    rows.sort(
        key=lambda row: (
            row.score is None,
            -(row.score or 0),
            -row.scorer_count,
            row.workstation.name.lower(),
        )
    )
    _ranks(rows)
    return RankingResult(round=ranking_round, rows=rows, weights=weights, scorer_count=scorer_count)


SORT_KEYS = ("rank", "name", "scorers", *QUESTIONS)


def sorted_rows(rows: list[RankedMachine], key: str) -> list[RankedMachine]:
    """The scored machines in another order for the table: by name, number of scorers or one
    question's average (highest first). The rank stays the rank of the weighted score."""
    if key == "name":
        return sorted(rows, key=lambda row: row.workstation.name.lower())
    if key == "scorers":
        return sorted(rows, key=lambda row: (-row.scorer_count, row.rank or 0))
    if key in QUESTIONS:
        return sorted(rows, key=lambda row: (-(row.averages[key] or 0), row.rank or 0))
    return list(rows)


# --- Usage statistics (OJT-16) -------------------------------------------------------------------


@dataclass
class UsageRow:
    """The figures of one programme or one audience."""

    key: str | int
    label: str
    code: str = ""
    following: int = 0
    completed: int = 0
    stopped: int = 0
    confirmed_modules: int = 0
    average_days: Decimal | None = None

    @property
    def total(self) -> int:
        return self.following + self.completed + self.stopped


@dataclass
class UsageReport:
    since: datetime.date
    total: UsageRow
    programmes: list[UsageRow]
    audiences: list[UsageRow]


STATUS_FIELD = {
    AssignmentStatus.ACTIVE.value: "following",
    AssignmentStatus.COMPLETED.value: "completed",
    AssignmentStatus.STOPPED.value: "stopped",
}


def _days(value: datetime.timedelta | float | None) -> float | None:
    """A duration from the database in days (a timedelta; raw microseconds, to be safe)."""
    if value is None:
        return None
    if isinstance(value, datetime.timedelta):
        return value.total_seconds() / 86400
    return float(value) / 86_400_000_000


def usage_statistics(*, organisation_id: int, today: datetime.date | None = None) -> UsageReport:
    """The use of the on-the-job programmes, counted in people (a person who followed the same
    programme twice counts once per status), in five queries:

    1. people per programme and status, 2. people per audience and status, 3. people per status
    in all, 4. modules confirmed (and not revoked) in the last 12 months per programme and
    audience, 5. the average days from start to completion per programme, per audience and in all.
    """
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=365)
    assignments = ProgrammeAssignment.objects.filter(organisation_id=organisation_id)
    people = Count("employee", distinct=True)

    programmes: dict[int, UsageRow] = {}
    for row in (
        assignments.values(
            "version__programme_id",
            "version__programme__title",
            "version__programme__code",
            "status",
        )
        .annotate(n=people)
        .order_by()
    ):
        entry = programmes.setdefault(
            row["version__programme_id"],
            UsageRow(
                key=row["version__programme_id"],
                label=row["version__programme__title"],
                code=row["version__programme__code"],
            ),
        )
        setattr(entry, STATUS_FIELD[row["status"]], row["n"])

    audiences = {value: UsageRow(key=value, label=str(label)) for value, label in Audience.choices}
    for row in assignments.values("audience", "status").annotate(n=people).order_by():
        entry = audiences.setdefault(
            row["audience"], UsageRow(key=row["audience"], label=row["audience"])
        )
        setattr(entry, STATUS_FIELD[row["status"]], row["n"])

    total = UsageRow(key="all", label="")
    for row in assignments.values("status").annotate(n=people).order_by():
        setattr(total, STATUS_FIELD[row["status"]], row["n"])

    confirmed = Signoff.objects.filter(
        organisation_id=organisation_id,
        confirmed_at__isnull=False,
        revoked_at__isnull=True,
        confirmed_at__date__gte=since,
        confirmed_at__date__lte=today,
    )
    for row in (
        confirmed.values("assignment__version__programme_id", "assignment__audience")
        .annotate(n=Count("id"))
        .order_by()
    ):
        programme_id = row["assignment__version__programme_id"]
        if programme_id in programmes:
            programmes[programme_id].confirmed_modules += row["n"]
        audience = row["assignment__audience"]
        if audience in audiences:
            audiences[audience].confirmed_modules += row["n"]
        total.confirmed_modules += row["n"]

    # Durations per (programme, audience); the means per programme, per audience and in all
    # are weighted back from the group sizes, so one query serves the three levels.
    duration = ExpressionWrapper(F("completed_on") - F("started_on"), output_field=DurationField())
    sums: dict[tuple[str, object], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for row in (
        assignments.filter(status=AssignmentStatus.COMPLETED, completed_on__isnull=False)
        .values("version__programme_id", "audience")
        .annotate(mean=Avg(duration), n=Count("id"))
        .order_by()
    ):
        mean = _days(row["mean"])
        if mean is None:
            continue
        for key in (
            ("programme", row["version__programme_id"]),
            ("audience", row["audience"]),
            ("all", None),
        ):
            sums[key][0] += mean * row["n"]
            sums[key][1] += row["n"]

    def mean_of(key: tuple[str, object]) -> Decimal | None:
        days, count = sums.get(key, (0.0, 0.0))
        if not count:
            return None
        return Decimal(str(days / count)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    for programme_id, entry in programmes.items():
        entry.average_days = mean_of(("programme", programme_id))
    for value, entry in audiences.items():
        entry.average_days = mean_of(("audience", value))
    total.average_days = mean_of(("all", None))

    return UsageReport(
        since=since,
        total=total,
        programmes=sorted(programmes.values(), key=lambda row: (-row.total, row.label.lower())),
        audiences=list(audiences.values()),
    )
