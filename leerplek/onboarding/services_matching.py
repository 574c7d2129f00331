"""HR's decisions on proposed peters/meters (MEN-03): confirm the proposal or choose another.

A decision designates the guide through `services.guide_designate` (which keeps its own rules:
not himself, still employed, one primary per newcomer, the maximum number of newcomers) and
records a `MatchDecision` with the proposal, its score and reasons, and the reason for another
choice. A batch is confirmed all or nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from leerplek.core import audit
from leerplek.core.errors import field_error
from leerplek.onboarding import services
from leerplek.onboarding.models import (
    GuideProfile,
    GuideStatus,
    MatchDecision,
    Onboarding,
    OnboardingStatus,
)
from leerplek.onboarding.selectors_pool import current_primary_mentorships
from leerplek.people.models import Employee, User

PERM = "onboarding.match_guides"

ERRORS = {
    "onboarding_closed": _(
        "This onboarding is no longer active; no peter/meter can be designated."
    ),
    "not_in_pool": _(
        "%(name)s is not a peter/meter of the pool. Choose one of the candidates shown, or "
        "add %(name)s to the pool first."
    ),
    "pool_full": _(
        "%(name)s already guides %(count)s newcomers, the most his pool profile allows. "
        "Choose another candidate."
    ),
    "reason_required": _(
        "You chose %(chosen)s instead of the proposed %(proposed)s: say why, for example "
        "“works the same shift” or “knows the newcomer already”."
    ),
    "reason_required_no_proposal": _(
        "There was no proposal for this newcomer: say why you chose %(chosen)s."
    ),
    "nothing_chosen": _("Choose a peter/meter for at least one newcomer, or leave the page."),
}


@dataclass(frozen=True)
class Decision:
    """HR's choice for one onboarding: `proposed` with `score` and `reasons` as matching
    proposed them (`Reason.as_json`), and the `chosen` guide with a `reason` when he differs."""

    onboarding: Onboarding
    chosen: Employee
    proposed: Employee | None = None
    score: float | None = None
    reasons: Sequence[dict[str, Any]] = field(default_factory=list)
    reason: str = ""


def _designate(decision: Decision, by: User) -> MatchDecision:
    onboarding, chosen = decision.onboarding, decision.chosen
    if not by.has_perm(PERM, onboarding):
        raise PermissionDenied
    # Lock the onboarding: two HR users may decide for the same newcomer at once.
    status = (
        Onboarding.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=onboarding.pk)
    )
    if status != OnboardingStatus.ACTIVE:
        raise field_error("guide", ERRORS["onboarding_closed"], code="onboarding_closed")
    reason = decision.reason.strip()
    if not reason and (decision.proposed is None or decision.proposed.pk != chosen.pk):
        if decision.proposed is None:
            raise field_error(
                "reason",
                ERRORS["reason_required_no_proposal"],
                code="reason_required",
                params={"chosen": chosen},
            )
        raise field_error(
            "reason",
            ERRORS["reason_required"],
            code="reason_required",
            params={"chosen": chosen, "proposed": decision.proposed},
        )
    # Lock the guide before counting: two HR users may confirm him for two newcomers at once.
    chosen = Employee.objects.select_for_update().get(pk=chosen.pk)
    profile = GuideProfile.objects.filter(
        employee=chosen, organisation_id=onboarding.organisation_id, status=GuideStatus.APPROVED
    ).first()
    if profile is None:
        raise field_error(
            "guide", ERRORS["not_in_pool"], code="not_in_pool", params={"name": chosen}
        )
    count = current_primary_mentorships().filter(guide=chosen).count()
    if count >= profile.max_mentees:
        raise field_error(
            "guide",
            ERRORS["pool_full"],
            code="pool_full",
            params={"name": chosen, "count": count},
        )
    try:
        guidance = services.guide_designate(
            learner=onboarding.employee,
            guide=chosen,
            by=by,
            onboarding=onboarding,
            reason=reason or gettext("Proposed by matching."),
        )
    except ValidationError as error:
        # Its rules speak of "guide" and "is_backup"; here there is only the choice of guide.
        problems = [problem for found in error.error_dict.values() for problem in found]
        raise ValidationError({"guide": problems}) from error
    match = MatchDecision.objects.create(
        onboarding=onboarding,
        proposed=decision.proposed,
        score=None if decision.score is None else Decimal(str(round(decision.score, 2))),
        reasons=list(decision.reasons),
        chosen=chosen,
        reason=reason if decision.proposed is None or decision.proposed.pk != chosen.pk else "",
        guidance=guidance,
        decided_by=by,
    )
    audit.record(
        actor=by,
        action="onboarding.match_decided",
        obj=match,
        organisation=onboarding.organisation,
        after={
            "onboarding": onboarding.pk,
            "proposed": decision.proposed.pk if decision.proposed else None,
            "score": match.score,
            "chosen": chosen.pk,
            "reason": match.reason,
            "guidance": guidance.pk,
        },
    )
    return match


@transaction.atomic
def match_confirm(*, decision: Decision, by: User) -> MatchDecision:
    """Designate `decision.chosen` as the newcomer's peter/meter and record the decision.

    Rules: `by` may match guides; the onboarding is active; the chosen person is in the pool
    (approved) with a free place; another choice than the proposal needs a reason; and the
    rules of `services.guide_designate`. Raises ValidationError on "guide" or "reason".
    """
    return _designate(decision, by)


@transaction.atomic
def match_confirm_batch(*, decisions: Sequence[Decision], by: User) -> list[MatchDecision]:
    """Confirm every decision of a batch, or none: when one is refused nothing is written.

    Each decision follows the rules of `match_confirm`, counted with the ones before it (two
    newcomers confirmed to one peter take two of his places). Raises one ValidationError with
    every refusal, keyed "guide_<onboarding id>" or "reason_<onboarding id>", or on
    "__all__" when `decisions` is empty.
    """
    if not decisions:
        raise field_error("__all__", ERRORS["nothing_chosen"], code="nothing_chosen")
    errors: dict[str, list[ValidationError]] = {}
    matches = []
    for decision in decisions:
        try:
            with transaction.atomic():
                matches.append(_designate(decision, by))
        except ValidationError as error:
            for name, problems in error.error_dict.items():
                errors.setdefault(f"{name}_{decision.onboarding.pk}", []).extend(problems)
    if errors:
        raise ValidationError(errors)  # rolls back the decisions that went through
    return matches
