"""Pages for transfer plans (COMP-06, KNOW-12): the list with filters and status changes, and a
new plan. Works without JavaScript: the status change is a small form per row."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from leerplek.competences import transfer_selectors, transfer_services
from leerplek.competences.models import TransferStatus
from leerplek.competences.transfer_forms import (
    TransferFilterForm,
    TransferPlanForm,
    TransferStatusForm,
)
from leerplek.core.decorators import requires
from leerplek.core.formviews import form_page, save_with
from leerplek.core.http import OrganisationHttpRequest


def _list_url(query: str) -> str:
    """The plan list with only its own filters kept from `query` (no open redirect)."""
    given = QueryDict(query)
    kept = {key: given[key] for key in ("status", "overdue", "page") if given.get(key)}
    url = reverse("competences:transfer-plan-list")
    return f"{url}?{urlencode(kept)}" if kept else url


@requires("competences.plan_transfer")
def transfer_plan_list(request: OrganisationHttpRequest) -> HttpResponse:
    form = TransferFilterForm(request.GET)
    status, overdue = "open", False
    if form.is_valid():
        status = form.cleaned_data["status"] or "open"
        overdue = form.cleaned_data["overdue"]
    plans = transfer_selectors.transfer_plan_list(
        access=request.access, status="" if status == "all" else status, overdue=overdue
    )
    page = Paginator(plans, settings.LEERPLEK["PAGE_SIZE"]).get_page(request.GET.get("page"))
    return render(
        request,
        "competences/transfer_list.html",
        {
            "form": form,
            "page_obj": page,
            "statuses": TransferStatus.choices,
            "query": request.GET.urlencode(),
            "filtered": status != "open" or overdue,
            "can_view_retention": request.user.has_perm("competences.view_retention"),
        },
    )


@require_http_methods(["GET", "POST"])
@requires("competences.plan_transfer")
def transfer_plan_create(request: OrganisationHttpRequest) -> HttpResponse:
    people = transfer_selectors.transfer_people(access=request.access)
    initial = {}
    if competence_id := request.GET.get("competence"):
        initial["competence"] = competence_id
    form = TransferPlanForm(
        request.POST or None, organisation=request.organisation, people=people, initial=initial
    )
    if request.method == "POST" and (
        plan := save_with(
            form,
            lambda data: transfer_services.transfer_plan_create(
                organisation=request.organisation, by=request.user, **data
            ),
        )
    ):
        messages.success(
            request,
            _("The transfer plan for %(competence)s was added.")
            % {"competence": plan.competence.name},
        )
        return redirect("competences:transfer-plan-list")
    return form_page(
        request,
        form,
        {
            "title": _("New transfer plan"),
            "cancel_url": "competences:transfer-plan-list",
            "intro": _(
                "Keep a competence at risk in the organisation: let the experienced holder write "
                "down a work instruction, or train a named successor in tandem, by a date."
            ),
        },
    )


@require_POST
@requires("competences.plan_transfer")
def transfer_plan_status(request: OrganisationHttpRequest, transfer_plan_id: int) -> HttpResponse:
    # Plans outside the user's reach (or organisation) do not exist for him.
    plan = (
        transfer_selectors.transfer_plan_list(access=request.access, status="")
        .filter(pk=transfer_plan_id)
        .first()
    )
    if plan is None:
        raise Http404
    form = TransferStatusForm(request.POST)
    back = _list_url(request.POST.get("back", ""))
    if not form.is_valid():
        messages.error(request, _("Choose planned, in progress, done or dropped."))
        return redirect(back)
    try:
        transfer_services.transfer_plan_set_status(
            plan=plan, by=request.user, status=form.cleaned_data["status"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    messages.success(
        request,
        _("The transfer plan for %(competence)s is now %(status)s.")
        % {
            "competence": plan.competence.name,
            "status": TransferStatus(form.cleaned_data["status"]).label.lower(),
        },
    )
    return redirect(back)


urlpatterns = [
    path("transfer-plans/", transfer_plan_list, name="transfer-plan-list"),
    path("transfer-plans/new/", transfer_plan_create, name="transfer-plan-create"),
    path(
        "transfer-plans/<int:transfer_plan_id>/status/",
        transfer_plan_status,
        name="transfer-plan-status",
    ),
]
