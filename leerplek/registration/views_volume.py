"""The training-volume page (REP-07, REP-09; docs/registration-rights-volume.md).

`registration:volume`: hours, participants and net cost of a financial year or a period by unit,
gender, age band, person type and category; per employee; days per FTE against the
interprofessional target; a chart of the hours per month; for HR and line managers, the
workers below their training right this year. Consultation-body members see the aggregates
with small groups hidden, never a person; a line manager sees his units.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone

from leerplek.core.decorators import requires
from leerplek.core.http import OrganisationHttpRequest
from leerplek.people.models import OrgUnit
from leerplek.registration import selectors_rights, selectors_volume
from leerplek.registration.forms_volume import VolumeFilterForm
from leerplek.registration.services import year_bounds, year_of
from leerplek.registration.volume_chart import bar_layout

VIEW = "registration.view_volume"
COMPLIANCE_ROWS = 20


def chosen_period(
    request: OrganisationHttpRequest, form: VolumeFilterForm
) -> selectors_volume.Period:
    """The period of a valid form: from/to when given, else the financial year (the current
    one by default)."""
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("start") and data.get("end"):
        return selectors_volume.Period(start=data["start"], end=data["end"])
    year = data.get("year") or year_of(request.organisation, timezone.localdate())
    start, end = year_bounds(request.organisation, year)
    return selectors_volume.Period(start=start, end=end, year=year)


def _unit_path(request: OrganisationHttpRequest, form: VolumeFilterForm) -> str:
    unit_id = form.cleaned_data.get("unit") if form.is_valid() else None
    if not unit_id:
        return ""
    unit = OrgUnit.objects.filter(organisation_id=request.organisation.pk, pk=unit_id).first()
    return unit.path if unit is not None else ""


@requires(VIEW)
def volume_page(request: OrganisationHttpRequest) -> HttpResponse:
    form = VolumeFilterForm(
        request.GET or None,
        organisation=request.organisation,
        access=request.access,
        initial={"year": year_of(request.organisation, timezone.localdate())},
    )
    period = chosen_period(request, form)
    unit_path = _unit_path(request, form)
    figures = selectors_volume.volume(
        access=request.access,
        organisation=request.organisation,
        period=period,
        unit_path=unit_path,
    )
    compliance: Any = None
    if not figures.aggregates_only:
        compliance = selectors_rights.right_list(
            access=request.access,
            organisation=request.organisation,
            year=period.end.year,
            unit_path=unit_path,
            below_only=True,
        )
    many = len(figures.months) > 12
    status = 422 if form.is_bound and form.errors else 200
    return render(
        request,
        "registration/volume/page.html",
        {
            "form": form,
            "volume": figures,
            "period": period,
            "age_bands": selectors_volume.AGE_BANDS,
            "chart": bar_layout(
                figures.months, width=760, height=260, label_every=3 if many else 1
            ),
            "phone_chart": bar_layout(
                figures.months, width=360, height=220, label_every=6 if many else 2, left=40
            ),
            "compliance": compliance,
            "compliance_rows": compliance.rows[:COMPLIANCE_ROWS] if compliance else [],
            "hours_per_day": selectors_rights.hours_per_day(),
            "stylesheet": "registration/volume.css",
        },
        status=status,
    )


urlpatterns: list[URLPattern] = [
    path("volume/", volume_page, name="volume"),
]
