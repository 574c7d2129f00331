"""Pages for gaps against requirements, training needs (COMP-05) and knowledge-retention risk
(COMP-06)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from leerplek.competences import gap_selectors, need_services, transfer_selectors
from leerplek.competences.forms import MatrixUnitForm
from leerplek.competences.models import NeedStatus, TrainingNeed
from leerplek.core.decorators import get_allowed, requires
from leerplek.core.http import OrganisationHttpRequest
from leerplek.core.xlsx import Sheet, workbook_response
from leerplek.people.models import OrgUnit


class NeedFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("All statuses")), *NeedStatus.choices],
    )


class NeedStatusForm(forms.Form):
    need = forms.ModelChoiceField(queryset=TrainingNeed.objects.none())
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=NeedStatus.choices)
    filter = forms.ChoiceField(
        required=False, choices=[("", ""), *NeedStatus.choices]
    )  # the list's filter, to return to it

    def __init__(self, *args: Any, needs: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["need"].queryset = needs  # type: ignore[attr-defined]


def _unit(
    request: OrganisationHttpRequest, data: Any, perm: str, roles: Any
) -> tuple[MatrixUnitForm, OrgUnit | None]:
    """The unit chosen in `data` (or the first in reach when nothing was chosen), checked
    against `perm` on that unit."""
    choices = gap_selectors.unit_choices(
        organisation=request.organisation, access=request.access, roles=roles
    )
    form = MatrixUnitForm(data or None, choices=choices)
    unit_id = None
    if form.is_bound:
        unit_id = form.cleaned_data["unit"] if form.is_valid() else None
    elif choices:
        unit_id = choices[0][0]
        form = MatrixUnitForm(initial={"unit": unit_id}, choices=choices)
    if unit_id is None:
        return form, None
    return form, get_allowed(request, OrgUnit.objects.all(), perm, pk=unit_id)


# --- Gaps ----------------------------------------------------------------------------------------


@requires("competences.view_gaps")
def gaps(request: OrganisationHttpRequest) -> HttpResponse:
    form, unit = _unit(request, request.GET, "competences.view_gaps", gap_selectors.GAP_ROLES)
    found = gap_selectors.gaps_for_unit(unit=unit, access=request.access) if unit else None
    page = None
    if found:
        page = Paginator(found, settings.LEERPLEK["PAGE_SIZE"]).get_page(request.GET.get("page"))
    return render(
        request,
        "competences/gaps.html",
        {
            "form": form,
            "unit": unit,
            "gaps": found,
            "page_obj": page,
            "export_url": f"{reverse('competences:gaps-export')}?unit={unit.pk}" if unit else None,
            "without_need": sum(1 for gap in found or [] if not gap.has_open_need),
            "can_manage": unit is not None
            and request.user.has_perm("competences.manage_needs", unit),
        },
    )


@requires("competences.view_gaps")
def gaps_export(request: OrganisationHttpRequest) -> HttpResponse:
    _form, unit = _unit(request, request.GET, "competences.view_gaps", gap_selectors.GAP_ROLES)
    found = gap_selectors.gaps_for_unit(unit=unit, access=request.access) if unit else []
    sheet = Sheet(
        title=_("Gaps"),
        headers=[
            _("Person"),
            _("Unit"),
            _("Competence code"),
            _("Competence"),
            _("Required level"),
            _("Current level"),
            _("Assessed on"),
            _("Since"),
            _("Mandatory"),
            _("Open training need"),
        ],
        rows=(
            [
                f"{gap.employee.last_name}, {gap.employee.first_name}",
                str(gap.employee.unit or ""),
                gap.competence.code,
                gap.competence.name,
                gap.required.code,
                gap.actual_code or "—",
                gap.assessed_on,
                gap.since,
                _("yes") if gap.mandatory else _("no"),
                _("yes") if gap.has_open_need else _("no"),
            ]
            for gap in found
        ),
    )
    return workbook_response([sheet], "gaps.xlsx")


@require_POST
@requires("competences.manage_needs")
def gaps_to_needs(request: OrganisationHttpRequest) -> HttpResponse:
    _form, unit = _unit(request, request.POST, "competences.manage_needs", gap_selectors.NEED_ROLES)
    if unit is None:
        messages.error(request, _("Choose a unit in your scope to turn its gaps into needs."))
        return redirect("competences:gaps")
    found = gap_selectors.gaps_for_unit(unit=unit, access=request.access)
    count = need_services.training_needs_from_gaps(unit=unit, by=request.user, gaps=found)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)d training need was created.",
                "%(count)d training needs were created.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(request, _("Every gap already has an open training need."))
    return redirect(f"{reverse('competences:gaps')}?unit={unit.pk}")


# --- Training needs ------------------------------------------------------------------------------


@requires("competences.manage_needs")
def need_list(request: OrganisationHttpRequest) -> HttpResponse:
    form = NeedFilterForm(request.GET if "status" in request.GET else {"status": NeedStatus.OPEN})
    status = form.cleaned_data["status"] if form.is_valid() else NeedStatus.OPEN
    needs = gap_selectors.training_need_list(access=request.access, status=status)
    page = Paginator(needs, settings.LEERPLEK["PAGE_SIZE"]).get_page(request.GET.get("page"))
    return render(
        request,
        "competences/needs.html",
        {
            "form": form,
            "status": status,
            "page_obj": page,
            "statuses": NeedStatus.choices,
        },
    )


@require_POST
@requires("competences.manage_needs")
def need_status(request: OrganisationHttpRequest) -> HttpResponse:
    # Needs outside the user's scope are not a choice: the form refuses them.
    needs = gap_selectors.training_need_list(access=request.access, status="")
    form = NeedStatusForm(request.POST, needs=needs)
    back = reverse("competences:need-list")
    if not form.is_valid():
        messages.error(request, _("Choose a training need in your scope and a status."))
        return redirect(back)
    if "filter" in request.POST:
        back = f"{back}?status={form.cleaned_data['filter']}"
    try:
        need_services.training_need_set_status(
            need=form.cleaned_data["need"], by=request.user, status=form.cleaned_data["status"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    messages.success(request, _("The status of the training need was saved."))
    return redirect(back)


# --- Knowledge-retention risk --------------------------------------------------------------------


@requires("competences.view_retention")
def retention(request: OrganisationHttpRequest) -> HttpResponse:
    horizon = settings.LEERPLEK["RETENTION_HORIZON_MONTHS"]
    retirement_age = settings.LEERPLEK["RETIREMENT_AGE"]
    risks = gap_selectors.retention_risks(
        organisation=request.organisation, horizon_months=horizon, retirement_age=retirement_age
    )
    page = Paginator(risks, settings.LEERPLEK["PAGE_SIZE"]).get_page(request.GET.get("page"))
    can_plan = request.user.has_perm("competences.plan_transfer")
    plans = transfer_selectors.open_plans_by_competence(
        access=request.access, competence_ids=[risk.competence.pk for risk in page]
    )
    for risk in page:
        risk.plans = plans.get(risk.competence.pk, [])  # type: ignore[attr-defined]
    return render(
        request,
        "competences/retention.html",
        {
            "page_obj": page,
            "horizon": horizon,
            "retirement_age": retirement_age,
            "show_names": request.user.has_perm("competences.view_retention_names"),
            "can_plan": can_plan,
        },
    )


urlpatterns = [
    path("gaps/", gaps, name="gaps"),
    path("gaps/export/", gaps_export, name="gaps-export"),
    path("gaps/needs/", gaps_to_needs, name="gaps-to-needs"),
    path("needs/", need_list, name="need-list"),
    path("needs/status/", need_status, name="need-status"),
    path("retention/", retention, name="retention"),
]
