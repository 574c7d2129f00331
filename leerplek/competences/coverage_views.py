"""The coverage-over-time page: a line chart per month of the share of a unit's people covering a
competence, with the same numbers in a table."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from leerplek.competences import coverage_selectors, selectors
from leerplek.competences.coverage_chart import chart_layout
from leerplek.competences.models import Competence
from leerplek.core.decorators import get_allowed, requires
from leerplek.core.http import OrganisationHttpRequest
from leerplek.people.models import OrgUnit


class CoverageForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int, choices=[])
    competence = forms.TypedChoiceField(
        label=_("Competence"), coerce=int, required=False, empty_value=None, choices=[]
    )

    def __init__(
        self,
        *args: Any,
        units: list[tuple[int, str]],
        competences: list[tuple[int, str]],
        **kw: Any,
    ):
        super().__init__(*args, **kw)
        self.fields["unit"].choices = units  # type: ignore[attr-defined]
        self.fields["competence"].choices = [  # type: ignore[attr-defined]
            ("", _("Every competence the unit requires")),
            *competences,
        ]


@requires("competences.view_matrix")
def coverage(request: OrganisationHttpRequest) -> HttpResponse:
    units = selectors.matrix_unit_choices(organisation=request.organisation, access=request.access)
    competences = coverage_selectors.coverage_competence_choices(organisation=request.organisation)
    data: dict[str, Any] = {}
    if "unit" not in request.GET and units:
        data["unit"] = units[0][0]  # the first unit in reach when nothing was chosen
    data.update(request.GET.dict())
    form = CoverageForm(data if units else None, units=units, competences=competences)
    history = chart = phone_chart = None
    if form.is_bound and form.is_valid():
        # A unit or competence outside the choices is refused by the form: no chart.
        unit = get_allowed(
            request, OrgUnit.objects.all(), "competences.view_matrix", pk=form.cleaned_data["unit"]
        )
        competence = None
        if form.cleaned_data["competence"] is not None:
            competence = get_allowed(
                request,
                Competence.objects.all(),
                "competences.view_catalogue",
                pk=form.cleaned_data["competence"],
            )
        history = coverage_selectors.coverage_history(
            unit=unit,
            access=request.access,
            competence=competence,
            months=settings.LEERPLEK["COVERAGE_MONTHS"],
        )
        if history.series:
            chart = chart_layout(history, width=760, height=300, label_every=3)
            phone_chart = chart_layout(history, width=360, height=260, label_every=6, left=44)
    return render(
        request,
        "competences/coverage.html",
        {
            "form": form,
            "history": history,
            "chart": chart,
            "phone_chart": phone_chart,
            "no_units": not units,
            "months": settings.LEERPLEK["COVERAGE_MONTHS"],
        },
    )


urlpatterns = [
    path("coverage/", coverage, name="coverage"),
]
