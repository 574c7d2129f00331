"""Input shapes for the onboarding results page and the pulse. Business rules live in services."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from leerplek.onboarding.models import PulseRespondent
from leerplek.onboarding.selectors_metrics import GRAIN_QUARTER, GRAINS
from leerplek.people.forms import DateInput

# The words under each score. The newcomer rates his satisfaction; the peter/meter how much
# guiding gives him recognition, renewed interest and challenge (MEN-12).
SCALES: dict[str, list[tuple[int, Any]]] = {
    PulseRespondent.NEWCOMER: [
        (1, _("Very dissatisfied")),
        (2, _("Dissatisfied")),
        (3, _("Neutral")),
        (4, _("Satisfied")),
        (5, _("Very satisfied")),
    ],
    PulseRespondent.GUIDE: [
        (1, pgettext_lazy("pulse score", "Not at all")),
        (2, pgettext_lazy("pulse score", "A little")),
        (3, pgettext_lazy("pulse score", "Somewhat")),
        (4, pgettext_lazy("pulse score", "Much")),
        (5, pgettext_lazy("pulse score", "Very much")),
    ],
}


class MetricsFilterForm(forms.Form):
    date_from = forms.DateField(label=_("Started from"), widget=DateInput())
    date_to = forms.DateField(label=_("Started until"), widget=DateInput())
    job = forms.TypedChoiceField(
        label=pgettext_lazy("job", "Function"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[],
    )
    grain = forms.ChoiceField(label=_("Cohorts per"), choices=GRAINS, initial=GRAIN_QUARTER)

    error_messages = {
        "range": _("The end of the period lies before its start; swap the two dates."),
        "too_long": _("Choose a period of at most 10 years."),
    }

    def __init__(self, *args: Any, jobs: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["job"].choices = [("", _("All functions")), *jobs]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if end < start:
                self.add_error(
                    "date_to",
                    forms.ValidationError(self.error_messages["range"], code="range"),
                )
            elif end - start > datetime.timedelta(days=3653):
                self.add_error(
                    "date_from",
                    forms.ValidationError(self.error_messages["too_long"], code="too_long"),
                )
        return data


class PulseForm(forms.Form):
    score = forms.TypedChoiceField(
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a score from 1 to 5.")},
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, respondent: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["score"].choices = SCALES[respondent]  # type: ignore[attr-defined]
