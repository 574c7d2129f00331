"""Writes of the machine ranking (OJT-09): which machine gets a work instruction first.

- `ranking_round_create`: HR opens a round for a unit (or the whole organisation), machines only
  or every workstation.
- `machine_scores_save`: a production manager scores the machines of an open round on the four
  questions, 1 (low) to 5 (high), all machines in one go; scoring again replaces his own earlier
  scores of those machines. A machine he leaves empty keeps what he gave it before (or nothing).
- `ranking_round_close`: HR closes the round; from then on its scores never change.

Every function checks the permission, validates before writing, locks the round it reads,
writes inside one transaction and appends to the audit log.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerplek.core import audit
from leerplek.core.errors import field_error
from leerplek.people.models import Organisation, OrgUnit, User
from leerplek.training.models import MachineScore, RankingRound
from leerplek.training.models.programmes import SCORE_VALIDATORS
from leerplek.training.selectors_ranking import QUESTIONS, round_machines

SCORE_MIN = SCORE_VALIDATORS[0].limit_value
SCORE_MAX = SCORE_VALIDATORS[1].limit_value

ERRORS = {
    "title_missing": _("Give the ranking a title, e.g. “Sauce kitchen 2026”."),
    "other_organisation": _("This belongs to another organisation."),
    "closed": _("This ranking was closed on %(date)s: its scores can no longer change."),
    "already_closed": _("This ranking is already closed."),
    "out_of_range": _("Score %(machine)s from %(min)s (low) to %(max)s (high)."),
    "incomplete": _("Answer all four questions for %(machine)s, or leave them all empty."),
    "nothing_scored": _("Score at least one machine: tick a number for each question."),
    "not_in_round": _("This machine is not part of this ranking."),
    "future_opening": _("A ranking opens today at the latest, not in the future."),
}


def score_field(workstation_id: int, question: str) -> str:
    """The form field (and error key) of one answer: `m12_problems`."""
    return f"m{workstation_id}_{question}"


def note_field(workstation_id: int) -> str:
    return f"m{workstation_id}_note"


def _require(by: User, perm: str) -> None:
    if not by.has_perm(perm):
        raise PermissionDenied


def _check_open(ranking_round: RankingRound) -> None:
    if ranking_round.closed_on is not None:
        raise field_error(
            "round",
            ERRORS["closed"],
            code="closed",
            params={"date": ranking_round.closed_on.strftime("%d/%m/%Y")},
        )


@transaction.atomic
def ranking_round_create(
    *,
    organisation: Organisation,
    by: User,
    title: str,
    unit: OrgUnit | None = None,
    machines_only: bool = True,
    opened_on: datetime.date | None = None,
) -> RankingRound:
    """Open a round; raises ValidationError keyed by field, PermissionDenied for non-HR."""
    _require(by, "training.manage_rankings")
    title = (title or "").strip()
    if not title:
        raise field_error("title", ERRORS["title_missing"], code="title_missing")
    if unit is not None and unit.organisation_id != organisation.pk:
        raise field_error("unit", ERRORS["other_organisation"], code="other_organisation")
    today = timezone.localdate()
    opened_on = opened_on or today
    if opened_on > today:
        raise field_error("opened_on", ERRORS["future_opening"], code="future_opening")
    ranking_round = RankingRound.objects.create(
        organisation=organisation,
        title=title[:200],
        unit=unit,
        machines_only=machines_only,
        opened_on=opened_on,
        created_by=by,
    )
    audit.record(
        actor=by,
        action="training.ranking_opened",
        obj=ranking_round,
        after={
            "title": ranking_round.title,
            "unit": getattr(unit, "pk", None),
            "machines_only": machines_only,
            "opened_on": opened_on,
        },
    )
    return ranking_round


def _validated(
    scores: Mapping[int, Mapping[str, Any]], names: dict[int, str]
) -> dict[int, dict[str, Any]]:
    """The complete rows of `scores`, checked against the round's machines and the 1-5 range.

    Collects every problem first, so the scorer sees them all at once, keyed by field.
    """
    errors: dict[str, list[ValidationError]] = {}
    rows: dict[int, dict[str, Any]] = {}
    for workstation_id, answers in scores.items():
        given = {q: answers.get(q) for q in QUESTIONS if answers.get(q) not in (None, "")}
        if not given:
            continue  # left empty: not scored by him in this go
        if workstation_id not in names:
            errors.setdefault(score_field(workstation_id, QUESTIONS[0]), []).append(
                ValidationError(ERRORS["not_in_round"], code="not_in_round")
            )
            continue
        params = {"machine": names[workstation_id], "min": SCORE_MIN, "max": SCORE_MAX}
        row: dict[str, Any] = {}
        for question in QUESTIONS:
            key = score_field(workstation_id, question)
            if question not in given:
                errors.setdefault(key, []).append(
                    ValidationError(ERRORS["incomplete"], code="incomplete", params=params)
                )
                continue
            try:
                value = int(str(given[question]))
            except (TypeError, ValueError):
                value = SCORE_MIN - 1
            if not SCORE_MIN <= value <= SCORE_MAX:
                errors.setdefault(key, []).append(
                    ValidationError(ERRORS["out_of_range"], code="out_of_range", params=params)
                )
                continue
            row[question] = value
        row["note"] = str(answers.get("note") or "").strip()[:300]
        rows[workstation_id] = row
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise field_error("round", ERRORS["nothing_scored"], code="nothing_scored")
    return rows


@transaction.atomic
def machine_scores_save(
    *,
    ranking_round: RankingRound,
    by: User,
    scores: Mapping[int, Mapping[str, Any]],
) -> list[MachineScore]:
    """Save `by`'s scores of the round's machines: workstation id -> {question: 1-5, "note"}.

    All or nothing: one wrong answer refuses the lot, with an error on each wrong field.
    """
    _require(by, "training.rank_machines")
    # Lock the round: HR may close it while a manager is saving.
    # of=("self",): PostgreSQL cannot lock the nullable side of the join to the unit.
    locked = (
        RankingRound.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=ranking_round.pk)
    )
    _check_open(locked)
    names = dict(round_machines(locked).values_list("pk", "name"))
    rows = _validated(scores, names)
    existing = {
        score.workstation_id: score
        for score in MachineScore.objects.select_for_update().filter(
            round=locked, scorer=by, workstation_id__in=list(rows)
        )
    }
    created: list[MachineScore] = []
    updated: list[MachineScore] = []
    for workstation_id, row in rows.items():
        score = existing.get(workstation_id)
        if score is None:
            created.append(MachineScore(round=locked, workstation_id=workstation_id, scorer=by))
            score = created[-1]
        else:
            updated.append(score)
        for name, value in row.items():
            setattr(score, name, value)
        score.scored_at = timezone.now()
    MachineScore.objects.bulk_create(created)
    if updated:
        MachineScore.objects.bulk_update(updated, [*QUESTIONS, "note", "scored_at"])
    audit.record(
        actor=by,
        action="training.machines_scored",
        obj=locked,
        after={
            str(workstation_id): {q: row[q] for q in QUESTIONS}
            for workstation_id, row in rows.items()
        },
    )
    return [*created, *updated]


@transaction.atomic
def ranking_round_close(*, ranking_round: RankingRound, by: User) -> RankingRound:
    """Close the round: the ranking is final and read-only from now on."""
    _require(by, "training.manage_rankings")
    locked = RankingRound.objects.select_for_update().get(pk=ranking_round.pk)
    if locked.closed_on is not None:
        raise field_error("round", ERRORS["already_closed"], code="already_closed")
    locked.closed_on = timezone.localdate()
    locked.closed_by = by
    locked.save(update_fields=["closed_on", "closed_by"])
    audit.record(
        actor=by,
        action="training.ranking_closed",
        obj=locked,
        after={
            "closed_on": locked.closed_on,
            "scorers": MachineScore.objects.filter(round=locked)
            .values("scorer")
            .distinct()
            .count(),
        },
    )
    return locked
