"""Forms of the drafts area: the quick log's three fields and the draft filters. They check the
input's shape; the rules live in `services_drafts`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from leerplek.registration.models import QUICK_LOG_MAX_MINUTES, QuickLogHow, Source
from leerplek.registration.services_drafts import DRAFT_SOURCES, ERRORS


class QuickLogForm(forms.Form):
    """How, what and how long: the three fields a worker fills in on the floor."""

    how = forms.ChoiceField(
        label=_("How did you learn?"),
        choices=QuickLogHow.choices,
        widget=forms.RadioSelect,
        error_messages={"required": ERRORS["how"], "invalid_choice": ERRORS["how"]},
    )
    topic = forms.CharField(
        label=_("What did you learn?"),
        max_length=200,
        widget=forms.TextInput(
            attrs={"placeholder": _("e.g. changing the film roll on line 2"), "autocomplete": "off"}
        ),
        error_messages={"required": ERRORS["topic"], "max_length": ERRORS["topic_long"]},
    )
    minutes = forms.IntegerField(
        label=_("How many minutes?"),
        min_value=1,
        max_value=QUICK_LOG_MAX_MINUTES,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": "15"}),
        error_messages={
            "required": ERRORS["minutes"],
            "invalid": ERRORS["minutes"],
            "min_value": ERRORS["minutes"],
            "max_value": ERRORS["minutes"],
        },
    )
    date = forms.DateField(
        label=_("Day (if not today)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class DraftFilterForm(forms.Form):
    source = forms.ChoiceField(label=_("Source"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        source = self.fields["source"]
        year = self.fields["year"]
        assert isinstance(source, forms.ChoiceField)
        assert isinstance(year, forms.ChoiceField)
        source.choices = [("", _("All sources"))] + [
            (value, Source(value).label) for value in DRAFT_SOURCES
        ]
        year.choices = [(str(value), str(value)) for value in years]
