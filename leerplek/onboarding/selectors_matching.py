"""Reads for matching newcomers with peters/meters (MEN-03), in a fixed number of queries.

`batch` loads the newcomers without a peter/meter (or the given onboardings), the pool's
peters/meters with a free place (`selectors_pool.eligible_guides`), their levels on the
competences the newcomers lack, and runs `matching.propose` on them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from leerplek.competences.models import Assessment, Requirement
from leerplek.onboarding import matching, selectors_pool
from leerplek.onboarding.models import (
    Guidance,
    GuidanceKind,
    MatchDecision,
    Onboarding,
    OnboardingStatus,
)
from leerplek.people.models import Employee, Organisation, OrgUnit, UnitKind

ONBOARDING_RELATED = ("employee", "employee__unit", "employee__job", "employee__workstation")


def _has_primary(day: datetime.date) -> Exists:
    return Exists(
        Guidance.objects.current(day).filter(
            learner_id=OuterRef("employee_id"), kind=GuidanceKind.MENTOR, is_backup=False
        )
    )


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of `day`'s week."""
    return day - datetime.timedelta(days=day.weekday())


def waiting(
    *,
    organisation: Organisation,
    week: datetime.date | None = None,
    unit: OrgUnit | None = None,
) -> QuerySet[Onboarding]:
    """Active onboardings whose newcomer has no current peter/meter, by start date; `week` (any
    day of it) keeps those starting that week, `unit` those in that unit or below."""
    day = timezone.localdate()
    rows = (
        Onboarding.objects.filter(organisation=organisation, status=OnboardingStatus.ACTIVE)
        .exclude(_has_primary(day))
        .select_related(*ONBOARDING_RELATED)
        .order_by("start_date", "employee__last_name", "employee__first_name", "id")
    )
    if week is not None:
        monday = week_start(week)
        rows = rows.filter(start_date__gte=monday, start_date__lt=monday + datetime.timedelta(7))
    if unit is not None:
        rows = rows.filter(employee__unit__path__startswith=unit.path)
    return rows


def start_weeks(*, organisation: Organisation) -> list[datetime.date]:
    """The Mondays of the weeks in which a waiting newcomer starts (one query)."""
    days = waiting(organisation=organisation).values_list("start_date", flat=True)
    return sorted({week_start(day) for day in days})


@dataclass
class Shown:
    """A candidate as the page shows him: the pool row, his score and the reasons in words."""

    candidate: selectors_pool.GuideCandidate
    score: float
    reasons: list[dict[str, Any]]  # Reason.as_json with competence names
    also: list[str] = field(default_factory=list)  # other newcomers he is proposed for

    @property
    def employee(self) -> Employee:
        return self.candidate.employee

    @property
    def lines(self) -> list[tuple[str, float]]:
        return [(matching.reason_text(reason), reason["points"]) for reason in self.reasons]


@dataclass
class Row:
    onboarding: Onboarding
    proposal: Shown | None
    alternatives: list[Shown] = field(default_factory=list)

    @property
    def options(self) -> list[Shown]:
        return ([self.proposal] if self.proposal else []) + self.alternatives


@dataclass
class Batch:
    rows: list[Row]
    candidates: list[selectors_pool.GuideCandidate]
    newcomers: dict[int, matching.Newcomer]  # by onboarding id
    inputs: dict[int, matching.Candidate]  # by employee id
    competence_names: dict[int, str]
    today: datetime.date
    by_employee: dict[int, selectors_pool.GuideCandidate] = field(default_factory=dict)

    @property
    def free_places(self) -> int:
        return sum(candidate.remaining for candidate in self.candidates)

    @property
    def proposed(self) -> int:
        return sum(1 for row in self.rows if row.proposal is not None)

    def shown(self, onboarding_id: int, employee_id: int) -> Shown | None:
        """Any pool member with a free place as a choice for this newcomer (None when he is not
        one, or cannot guide this newcomer)."""
        newcomer = self.newcomers.get(onboarding_id)
        candidate = self.inputs.get(employee_id)
        if newcomer is None or candidate is None:
            return None
        if not matching.is_feasible(newcomer, candidate, today=self.today):
            return None
        reasons = matching.explain(newcomer, candidate, weight=matching.weights())
        return Shown(
            self.by_employee[employee_id],
            sum(r.points for r in reasons),
            [r.as_json(self.competence_names) for r in reasons],
        )

    def ranked(self, onboarding_id: int) -> list[Shown]:
        """Every feasible pool member for this newcomer, best first (for the 'another' list)."""
        found = [self.shown(onboarding_id, c.employee.pk) for c in self.candidates]
        return sorted(
            (shown for shown in found if shown is not None),
            key=lambda shown: -shown.score,
        )


def _shift_id(path: str, shifts: Sequence[OrgUnit]) -> int | None:
    """The nearest shift a unit path lies in."""
    found = [shift for shift in shifts if path.startswith(shift.path)]
    return max(found, key=lambda shift: len(shift.path)).pk if found else None


def _languages(person: Employee) -> frozenset[str]:
    return frozenset(code.lower() for code in person.language_list)


def _gaps(people: Sequence[Employee]) -> tuple[dict[int, frozenset[int]], dict[int, str]]:
    """Per person the active competences his function or workstation requires that his latest
    official level does not reach (as `selectors.competence_gaps_of`, for many people at once),
    and the competences' names. Two queries."""
    job_ids = {p.job_id for p in people if p.job_id}
    station_ids = {p.workstation_id for p in people if p.workstation_id}
    if not people or not (job_ids or station_ids):
        return {}, {}
    by_job: dict[int, dict[int, int]] = {}
    by_station: dict[int, dict[int, int]] = {}
    names: dict[int, str] = {}
    for requirement in Requirement.objects.filter(
        Q(job_id__in=job_ids) | Q(workstation_id__in=station_ids),
        organisation_id=people[0].organisation_id,
        competence__is_active=True,
    ).select_related("competence", "level"):
        names[requirement.competence_id] = requirement.competence.name
        if requirement.job_id:
            target = by_job.setdefault(requirement.job_id, {})
        else:
            target = by_station.setdefault(requirement.workstation_id or 0, {})
        rank = requirement.level.rank
        target[requirement.competence_id] = max(rank, target.get(requirement.competence_id, 0))
    latest: dict[tuple[int, int], int] = {}
    for employee_id, competence_id, rank in (
        Assessment.objects.filter(
            employee_id__in=[p.pk for p in people], competence_id__in=names, is_self=False
        )
        .order_by("employee_id", "competence_id", "-assessed_on", "-created_at", "-id")
        .values_list("employee_id", "competence_id", "level__rank")
    ):
        latest.setdefault((employee_id, competence_id), rank)
    gaps = {}
    for person in people:
        wanted = dict(by_job.get(person.job_id or 0, {}))
        for competence_id, rank in by_station.get(person.workstation_id or 0, {}).items():
            wanted[competence_id] = max(rank, wanted.get(competence_id, 0))
        gaps[person.pk] = frozenset(
            competence_id
            for competence_id, rank in wanted.items()
            if latest.get((person.pk, competence_id), 0) < rank
        )
    return gaps, names


def _skills(
    people: Iterable[int], competences: Iterable[int]
) -> dict[int, tuple[set[int], set[int]]]:
    """Per person the competences (among `competences`) whose latest official level may train,
    and those whose level counts for coverage only (one query)."""
    wanted = list(competences)
    skills: dict[int, tuple[set[int], set[int]]] = {}
    if not wanted:
        return skills
    seen: set[tuple[int, int]] = set()
    for employee_id, competence_id, may_train, covers in (
        Assessment.objects.filter(
            employee_id__in=list(people), competence_id__in=wanted, is_self=False
        )
        .order_by("employee_id", "competence_id", "-assessed_on", "-created_at", "-id")
        .values_list(
            "employee_id", "competence_id", "level__may_train", "level__counts_for_coverage"
        )
    ):
        if (employee_id, competence_id) in seen:
            continue
        seen.add((employee_id, competence_id))
        teaches, covered = skills.setdefault(employee_id, (set(), set()))
        if may_train:
            teaches.add(competence_id)
        elif covers:
            covered.add(competence_id)
    return skills


def batch(
    *,
    organisation: Organisation,
    onboardings: Sequence[Onboarding] | None = None,
    week: datetime.date | None = None,
    unit: OrgUnit | None = None,
    alternatives: int = 3,
) -> Batch:
    """The optimal proposal and the next best candidates for each newcomer without a peter/meter
    (or for `onboardings`, loaded with `ONBOARDING_RELATED`). Ten queries whatever the size."""
    today = timezone.localdate()
    if onboardings is None:
        onboardings = list(waiting(organisation=organisation, week=week, unit=unit))
    candidates = selectors_pool.eligible_guides(organisation, on=today)  # four queries
    people = [onboarding.employee for onboarding in onboardings]
    gaps, names = _gaps(people)
    skills = _skills([c.employee.pk for c in candidates], names)
    shifts = list(OrgUnit.objects.filter(organisation=organisation, kind=UnitKind.SHIFT))
    guides: dict[int, set[int]] = {}
    if people:
        for learner_id, guide_id in (
            Guidance.objects.current(today)
            .filter(learner_id__in=[p.pk for p in people])
            .values_list("learner_id", "guide_id")
        ):
            guides.setdefault(learner_id, set()).add(guide_id)
    newcomers = {
        onboarding.pk: matching.Newcomer(
            id=person.pk,
            job_id=person.job_id,
            workstation_id=person.workstation_id,
            shift_id=_shift_id(person.unit.path, shifts) if person.unit else None,
            unit_id=person.unit_id,
            languages=_languages(person),
            gaps=gaps.get(person.pk, frozenset()),
            guide_ids=frozenset(guides.get(person.pk, ())),
            starts_on=onboarding.start_date,
        )
        for onboarding, person in zip(onboardings, people, strict=True)
    }
    inputs = {}
    for row in candidates:
        person = row.employee
        teaches, covers = skills.get(person.pk, (set(), set()))
        inputs[person.pk] = matching.Candidate(
            id=person.pk,
            job_id=person.job_id,
            workstation_id=person.workstation_id,
            shift_id=row.shift.pk if row.shift else None,
            unit_id=person.unit_id,
            languages=_languages(person),
            teaches=frozenset(teaches),
            covers=frozenset(covers),
            free=row.remaining,
            exit_date=person.exit_date,
        )
    by_id = {row.employee.pk: row for row in candidates}
    matches = matching.propose(
        [newcomers[o.pk] for o in onboardings],
        list(inputs.values()),
        alternatives=alternatives,
        today=today,
    )

    def show(proposal: matching.Proposal) -> Shown:
        return Shown(
            by_id[proposal.candidate_id],
            proposal.score,
            [reason.as_json(names) for reason in proposal.reasons],
        )

    rows = [
        Row(
            onboarding=onboarding,
            proposal=show(match.proposal) if match.proposal else None,
            alternatives=[show(other) for other in match.alternatives],
        )
        for onboarding, match in zip(onboardings, matches, strict=True)
    ]
    # An alternative may be the proposal for someone else: say so, it explains the choice.
    proposed_for: dict[int, list[Row]] = {}
    for line in rows:
        if line.proposal is not None:
            proposed_for.setdefault(line.proposal.employee.pk, []).append(line)
    for line in rows:
        for other in line.alternatives:
            other.also = [
                str(taken.onboarding.employee)
                for taken in proposed_for.get(other.employee.pk, [])
                if taken is not line
            ]
    return Batch(
        rows=rows,
        candidates=candidates,
        newcomers=newcomers,
        inputs=inputs,
        competence_names=names,
        today=today,
        by_employee=by_id,
    )


def guide_and_decision(*, onboarding: Onboarding) -> tuple[bool, MatchDecision | None]:
    """Whether the newcomer has a current peter/meter, and the last matching decision on this
    onboarding with the people it names: one query, two when there is a decision."""
    has_guide, decision_id = (
        Onboarding.objects.filter(pk=onboarding.pk)
        .annotate(
            has_guide=_has_primary(timezone.localdate()),
            decision_id=Subquery(
                MatchDecision.objects.filter(onboarding_id=OuterRef("pk"))
                .order_by("-decided_at", "-id")
                .values("id")[:1]
            ),
        )
        .values_list("has_guide", "decision_id")
        .get()
    )
    decision = None
    if decision_id is not None:
        decision = MatchDecision.objects.select_related("proposed", "chosen", "decided_by").get(
            pk=decision_id
        )
    return bool(has_guide), decision
