"""Writes for the satisfaction pulse (MEN-12): the newcomer and his peter/meter answer one short
question in the pulse weeks of the onboarding (settings.LEERPLEK_PULSE_WEEKS)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerplek.core import audit
from leerplek.core.errors import field_error
from leerplek.core.rules import access_of
from leerplek.onboarding.models import (
    Guidance,
    GuidanceKind,
    GuidanceStatus,
    Onboarding,
    OnboardingStatus,
    PulseRespondent,
    PulseResponse,
)
from leerplek.onboarding.selectors_metrics import open_pulse_week, pulse_closes_on, pulse_weeks
from leerplek.people.models import User

COMMENT_MAX = PulseResponse._meta.get_field("comment").max_length or 500

ERRORS = {
    "score_range": _("Choose a score from 1 (not at all) to 5 (very much)."),
    "comment_long": _("Keep the comment to %(max)s characters; it has %(length)s."),
    "onboarding_closed": _(
        "This onboarding is no longer active, so its pulse questions are closed."
    ),
    "not_open": _(
        "There is no pulse question open now. The questions open in weeks %(weeks)s of the "
        "onboarding."
    ),
    "not_respondent": _(
        "Only the newcomer and his or her peter/meter answer the pulse; a backup, coach or "
        "instructor does not."
    ),
}


def pulse_respondent_of(*, onboarding: Onboarding, by: User, on: datetime.date) -> str | None:
    """Who `by` is for this onboarding's pulse: the newcomer, the current primary peter/meter,
    or nobody (one query for a guide, none for the newcomer)."""
    employee_id = access_of(by).employee_id
    if employee_id is None:
        return None
    if employee_id == onboarding.employee_id:
        return PulseRespondent.NEWCOMER
    is_peter = (
        Guidance.objects.current(on)
        .filter(
            learner_id=onboarding.employee_id,
            guide_id=employee_id,
            kind=GuidanceKind.MENTOR,
            is_backup=False,
            status=GuidanceStatus.ACTIVE,
        )
        .exists()
    )
    return PulseRespondent.GUIDE if is_peter else None


@transaction.atomic
def pulse_answer(
    *,
    onboarding: Onboarding,
    score: int,
    comment: str = "",
    by: User,
    today: datetime.date | None = None,
) -> PulseResponse:
    """Record `by`'s answer to the open pulse question of `onboarding`.

    Rules: only the newcomer himself and his current primary peter/meter answer; the onboarding
    is active; a question is open during its pulse week and the week after; the score is 1-5; a
    comment is optional, at most 500 characters. One answer per respondent and week: answering
    again while the question is open replaces the earlier answer (a slip of the finger is
    corrected, never counted twice). Raises PermissionDenied, or ValidationError on "score" or
    "comment".
    """
    if not by.has_perm("onboarding.answer_pulse", onboarding.employee):
        raise PermissionDenied
    today = today or timezone.localdate()
    # Lock the onboarding: a double tap sends two answers at once, and both would create a row.
    onboarding = (
        Onboarding.objects.select_related("organisation", "employee")
        .select_for_update(of=("self",))
        .get(pk=onboarding.pk)
    )
    respondent = pulse_respondent_of(onboarding=onboarding, by=by, on=today)
    if respondent is None:
        raise field_error("score", ERRORS["not_respondent"], code="not_respondent")
    if onboarding.status != OnboardingStatus.ACTIVE:
        raise field_error("score", ERRORS["onboarding_closed"], code="onboarding_closed")
    week = open_pulse_week(onboarding.start_date, today)
    if week is None:
        raise field_error(
            "score",
            ERRORS["not_open"],
            code="not_open",
            params={"weeks": ", ".join(str(w) for w in pulse_weeks())},
        )
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise field_error("score", ERRORS["score_range"], code="score_range")
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise field_error(
            "comment",
            ERRORS["comment_long"],
            code="comment_long",
            params={"max": COMMENT_MAX, "length": len(comment)},
        )
    answer = PulseResponse.objects.filter(
        onboarding=onboarding, respondent=respondent, moment=week
    ).first()
    before = None
    if answer is None:
        answer = PulseResponse(onboarding=onboarding, respondent=respondent, moment=week)
    else:
        before = {"score": answer.score, "comment": answer.comment}
    answer.score = score
    answer.comment = comment
    answer.answered_by = by
    answer.save()
    audit.record(
        actor=by,
        action="onboarding.pulse_answered",
        obj=answer,
        organisation=onboarding.organisation,
        before=before,
        after={
            "onboarding": onboarding.pk,
            "respondent": respondent,
            "week": week,
            "score": score,
            "comment": comment,
            "closes_on": pulse_closes_on(onboarding.start_date, week),
        },
    )
    return answer
