"""Pages for proposing peters/meters (MEN-03): one newcomer, or every newcomer without one.

HR sees the optimal proposal per newcomer with its score and reasons and the next best
candidates, and confirms it or chooses another candidate with a reason.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from leerplek.competences.selectors import reachable_unit_choices
from leerplek.core.decorators import requires
from leerplek.core.formviews import save_with
from leerplek.core.http import OrganisationHttpRequest
from leerplek.core.permissions import PERMISSIONS
from leerplek.onboarding import selectors_matching, services_matching
from leerplek.onboarding.forms_matching import SKIP, BatchFilterForm, BatchForm, ProposeForm
from leerplek.onboarding.models import Guidance, GuidanceKind, Onboarding, OnboardingStatus
from leerplek.onboarding.selectors_matching import Batch, Row, Shown
from leerplek.onboarding.services_matching import Decision
from leerplek.onboarding.views import allowed_onboarding
from leerplek.people.models import OrgUnit

PERM = "onboarding.match_guides"


def _option_label(shown: Shown) -> str:
    return _("%(name)s (score %(score)s)") % {
        "name": shown.employee,
        "score": f"{shown.score:g}",
    }


def _decision(row: Row, chosen: Shown, reason: str) -> Decision:
    proposal = row.proposal
    return Decision(
        onboarding=row.onboarding,
        chosen=chosen.employee,
        proposed=proposal.employee if proposal else None,
        score=proposal.score if proposal else None,
        reasons=proposal.reasons if proposal else [],
        reason=reason,
    )


def _stale(form: BaseForm, field: str, posted: str, row: Row) -> bool:
    """Whether the proposal the page showed is no longer the proposal (the pool or the load
    changed in between); HR then looks again before confirming."""
    now = str(row.proposal.employee.pk) if row.proposal else ""
    if posted == now:
        return False
    form.add_error(
        field,
        ValidationError(
            _(
                "The proposal changed since the page was opened (now: %(name)s). "
                "Check it and confirm again."
            )
            % {"name": row.proposal.employee if row.proposal else _("nobody")},
            code="stale",
        ),
    )
    return True


# --- One newcomer --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@requires(PERM)
def match_propose(request: OrganisationHttpRequest, onboarding_id: int) -> HttpResponse:
    onboarding = allowed_onboarding(request, PERM, onboarding_id)
    data = selectors_matching.batch(organisation=request.organisation, onboardings=[onboarding])
    row = data.rows[0]
    ranked = data.ranked(onboarding.pk)
    shown_ids = {shown.employee.pk for shown in row.options}
    others = [shown for shown in ranked if shown.employee.pk not in shown_ids]
    active = onboarding.status == OnboardingStatus.ACTIVE
    has_guide = (
        Guidance.objects.current()
        .filter(learner_id=onboarding.employee_id, kind=GuidanceKind.MENTOR, is_backup=False)
        .select_related("guide")
        .first()
    )
    form = ProposeForm(
        request.POST or None,
        initial={
            "guide": str(row.proposal.employee.pk) if row.proposal else None,
            "proposed": str(row.proposal.employee.pk) if row.proposal else "",
        },
        options=[(shown.employee.pk, _option_label(shown)) for shown in row.options],
        others=[(shown.employee.pk, _option_label(shown)) for shown in others],
    )

    def confirm(cleaned: dict[str, Any]) -> Any:
        if _stale(form, "guide", cleaned["proposed"], row):
            return None
        chosen = data.shown(onboarding.pk, form.chosen_id())
        if chosen is None:  # the form's choices come from the same batch
            raise ValidationError({"guide": _("This person can no longer guide the newcomer.")})
        return services_matching.match_confirm(
            decision=_decision(row, chosen, cleaned["reason"]), by=request.user
        )

    if request.method == "POST" and active and not has_guide:
        decision = save_with(form, confirm)
        if decision is not None:
            messages.success(
                request,
                _("%(guide)s now guides %(learner)s.")
                % {"guide": decision.chosen, "learner": onboarding.employee},
            )
            return redirect("onboarding:onboarding-detail", onboarding_id=onboarding.pk)
    status = 422 if form.is_bound and form.errors else 200
    return render(
        request,
        "onboarding/matching/propose.html",
        {
            "onboarding": onboarding,
            "row": row,
            "others": others,
            "form": form,
            "choices": list(
                zip(form["guide"], [*row.options, *([None] if others else [])], strict=True)
            ),
            "can_decide": active and has_guide is None,
            "current_guide": has_guide,
            "gaps": sorted(data.competence_names[pk] for pk in data.newcomers[onboarding.pk].gaps),
            "free_places": data.free_places,
            "pool_size": len(data.candidates),
        },
        status=status,
    )


# --- The batch -----------------------------------------------------------------------------------


def _units(request: OrganisationHttpRequest) -> list[tuple[int, str]]:
    return reachable_unit_choices(
        organisation=request.organisation,
        access=request.access,
        roles=PERMISSIONS[PERM].roles,
    )


@require_http_methods(["GET", "POST"])
@requires(PERM)
def matching_batch(request: OrganisationHttpRequest) -> HttpResponse:
    filters = BatchFilterForm(
        request.GET or None,
        weeks=selectors_matching.start_weeks(organisation=request.organisation),
        units=_units(request),
    )
    week, unit = None, None
    if filters.is_bound and filters.is_valid():
        week = filters.cleaned_data["week"]
        if filters.cleaned_data["unit"]:
            unit = OrgUnit.objects.filter(
                organisation=request.organisation, pk=filters.cleaned_data["unit"]
            ).first()
    data = selectors_matching.batch(organisation=request.organisation, week=week, unit=unit)
    form = BatchForm(
        request.POST or None,
        rows=[
            (
                row.onboarding.pk,
                [shown.employee.pk for shown in row.options],
                row.proposal.employee.pk if row.proposal else None,
            )
            for row in data.rows
        ],
    )
    if request.method == "POST" and (
        decisions := save_with(form, lambda c: _confirm(form, data, c, request))
    ):
        messages.success(
            request,
            _("%(count)s peters/meters designated.") % {"count": len(decisions)},
        )
        return redirect(request.get_full_path())
    entries = [
        {
            "row": row,
            "choices": list(
                zip(form[f"guide_{row.onboarding.pk}"], [*row.options, None], strict=True)
            ),
            "reason": form[f"reason_{row.onboarding.pk}"],
            "proposed": form[f"proposed_{row.onboarding.pk}"],
            "errors": form[f"guide_{row.onboarding.pk}"].errors,
        }
        for row in data.rows
    ]
    status = 422 if form.is_bound and form.errors else 200
    return render(
        request,
        "onboarding/matching/batch.html",
        {
            "filters": filters,
            "filtered": bool(week or unit),
            "data": data,
            "entries": entries,
            "form": form,
        },
        status=status,
    )


def _confirm(
    form: BatchForm, data: Batch, cleaned: dict[str, Any], request: OrganisationHttpRequest
) -> list[Any] | None:
    decisions = []
    stale = False
    for row in data.rows:
        key = row.onboarding.pk
        value = cleaned[f"guide_{key}"]
        if value == SKIP:
            continue
        stale |= _stale(form, f"guide_{key}", cleaned[f"proposed_{key}"], row)
        chosen = next(shown for shown in row.options if str(shown.employee.pk) == value)
        decisions.append(_decision(row, chosen, cleaned[f"reason_{key}"]))
    if stale:
        return None
    return services_matching.match_confirm_batch(decisions=decisions, by=request.user)


# --- The onboarding page -------------------------------------------------------------------------


def detail_part(request: OrganisationHttpRequest, onboarding: Onboarding) -> Any:
    """On the onboarding page: the proposed peter/meter while there is none, else how the last
    matching decision went. HR only; one query (two after a decision), twelve while a proposal
    is shown."""
    if not request.user.has_perm(PERM, onboarding):
        return None
    has_guide, decision = selectors_matching.guide_and_decision(onboarding=onboarding)
    row = None
    if onboarding.status == OnboardingStatus.ACTIVE and not has_guide:
        row = selectors_matching.batch(
            organisation=request.organisation, onboardings=[onboarding], alternatives=0
        ).rows[0]
    if row is None and decision is None:
        return None
    return (
        "onboarding/matching/detail_part.html",
        {"onboarding": onboarding, "row": row, "decision": decision},
    )


urlpatterns: list[URLPattern] = [
    path("matching/", matching_batch, name="matching"),
    path("<int:onboarding_id>/matching/", match_propose, name="match-propose"),
]
