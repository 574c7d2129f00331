"""Pages of the company-level contributions to collective (sector) funds: what the company pays
a training fund for no one activity, counted in 58032/58132 of the social balance.

- `registration:contribution-list` (`/registration/social-balance/contributions/?year=`): the
  payments of one financial year (the current one by default), their total and its split over
  men and women, with a form to add one (`contribution-create`, POST) and a button to remove
  one (`contribution-delete`). A closed year shows its payments without the form and buttons.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from leerplek.core.decorators import requires
from leerplek.core.http import OrganisationHttpRequest
from leerplek.registration import selectors_sb, services
from leerplek.registration.forms_sb import ContributionForm
from leerplek.registration.models import CompanyContribution
from leerplek.registration.views_sb import checked_year, year_param
from leerplek.training.forms_leittext import put_errors

MANAGE = "registration.manage_activities"
STYLESHEETS = ("registration/registration.css", "registration/sb.css")


def _list_url(year: int) -> str:
    return f"{reverse('registration:contribution-list')}?year={year}"


def _page(
    request: OrganisationHttpRequest,
    year: int,
    form: ContributionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    detail = selectors_sb.contribution_year(request.organisation, year)
    if form is None:
        today = timezone.localdate()
        form = ContributionForm(
            initial={"paid_on": min(max(today, detail.start), detail.end)},
            auto_id="contribution_%s",
        )
    return render(
        request,
        "registration/sb/contributions.html",
        {
            "detail": detail,
            "year": year,
            "form": form,
            "years": selectors_sb.year_choices(
                request.organisation, timezone.localdate(), also=year
            ),
            "back_url": f"{reverse('registration:social-balance')}?year={year}",
            "stylesheets": STYLESHEETS,
        },
        status=status,
    )


@require_GET
@requires(MANAGE)
def contribution_list(request: OrganisationHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return _page(request, year_param(request, selectors_sb.year_of(request.organisation, today)))


@require_POST
@requires(MANAGE)
def contribution_create(request: OrganisationHttpRequest, year: int) -> HttpResponse:
    year = checked_year(year)
    form = ContributionForm(request.POST, auto_id="contribution_%s")
    if form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        start, end = selectors_sb.year_bounds(request.organisation, year)
        if not start <= data["paid_on"] <= end:
            form.add_error(
                "paid_on",
                _("%(day)s is not in the financial year %(year)s (%(start)s to %(end)s).")
                % {
                    "day": data["paid_on"].isoformat(),
                    "year": year,
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                },
            )
        else:
            try:
                row = services.contribution_add(
                    organisation=request.organisation, by=request.user, **data
                )
            except ValidationError as error:
                put_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The payment of %(amount)s euro to %(fund)s was added.")
                    % {"amount": row.amount, "fund": row.fund},
                )
                return redirect(_list_url(year))
    return _page(request, year, form=form, status=422)


@require_POST
@requires(MANAGE)
def contribution_delete(
    request: OrganisationHttpRequest, year: int, contribution_id: int
) -> HttpResponse:
    year = checked_year(year)
    row = get_object_or_404(
        CompanyContribution, organisation_id=request.organisation.pk, pk=contribution_id
    )
    try:
        services.contribution_remove(contribution=row, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The payment of %(amount)s euro to %(fund)s was removed.")
            % {"amount": row.amount, "fund": row.fund},
        )
    return redirect(_list_url(year))


urlpatterns: list[URLPattern] = [
    path("social-balance/contributions/", contribution_list, name="contribution-list"),
    path(
        "social-balance/<int:year>/contributions/new/",
        contribution_create,
        name="contribution-create",
    ),
    path(
        "social-balance/<int:year>/contributions/<int:contribution_id>/delete/",
        contribution_delete,
        name="contribution-delete",
    ),
]
