"""Input shape of the training-volume page: a financial year, or a period from/to."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from leerplek.core.access import Access
from leerplek.people.models import Organisation
from leerplek.registration.forms_rights import YEAR_BOUNDS, set_unit_choices, unit_field
from leerplek.registration.selectors_volume import VOLUME_ROLES

MAX_DAYS = 366 * 10

ERRORS = {
    "both_dates": _("Give both the first and the last day of the period, or neither."),
    "end_before_start": _("The last day cannot be before the first day."),
    "too_long": _("Choose a period of at most ten years."),
}


class VolumeFilterForm(forms.Form):
    year = forms.IntegerField(
        label=_("Financial year"),
        required=False,
        **YEAR_BOUNDS,  # type: ignore[arg-type]
    )
    start = forms.DateField(
        label=_("Or from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    unit = unit_field()

    def __init__(self, *args: Any, organisation: Organisation, access: Access, **kwargs: Any):
        super().__init__(*args, **kwargs)
        set_unit_choices(self, organisation=organisation, access=access, roles=VOLUME_ROLES)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if bool(start) != bool(end):
            self.add_error("end" if start else "start", ERRORS["both_dates"])
        elif start and end:
            if end < start:
                self.add_error("end", ERRORS["end_before_start"])
            elif (end - start).days > MAX_DAYS:
                self.add_error("end", ERRORS["too_long"])
        return data
