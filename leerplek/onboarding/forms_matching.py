"""Input shapes for the matching pages. The rules (reason for another choice, capacity) live in
`services_matching`."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from leerplek.core.forms import FastSelect

OTHER = "other"
SKIP = "skip"


def week_label(monday: datetime.date) -> str:
    return str(_("Week %(week)s, from %(date)s")) % {
        "week": monday.isocalendar().week,
        "date": date_format(monday, "SHORT_DATE_FORMAT"),
    }


class BatchFilterForm(forms.Form):
    week = forms.TypedChoiceField(
        label=_("Start week"),
        required=False,
        coerce=datetime.date.fromisoformat,
        empty_value=None,
    )
    unit = forms.TypedChoiceField(
        label=_("Unit"), required=False, coerce=int, empty_value=None, widget=FastSelect
    )

    def __init__(
        self,
        *args: Any,
        weeks: list[datetime.date],
        units: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["week"].choices = [  # type: ignore[attr-defined]
            ("", _("All start weeks")),
            *((monday.isoformat(), week_label(monday)) for monday in weeks),
        ]
        self.fields["unit"].choices = [("", _("All units")), *units]  # type: ignore[attr-defined]


class ProposeForm(forms.Form):
    """One newcomer: the proposal, an alternative, or anyone else from the pool."""

    guide = forms.ChoiceField(label=_("Peter/meter"), widget=forms.RadioSelect)
    other = forms.TypedChoiceField(
        label=_("Someone else from the pool"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=FastSelect,
    )
    reason = forms.CharField(
        label=_("Why another choice"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when you do not take the proposal."),
    )
    proposed = forms.CharField(required=False, widget=forms.HiddenInput)

    error_messages = {
        "other_missing": _("Choose the peter/meter from the list “Someone else from the pool”."),
    }

    def __init__(
        self,
        *args: Any,
        options: list[tuple[int, str]],
        others: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, str]] = [(str(pk), label) for pk, label in options]
        if others:
            choices.append((OTHER, str(_("Someone else from the pool"))))
        self.fields["guide"].choices = choices  # type: ignore[attr-defined]
        self.fields["other"].choices = [("", "---------"), *others]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("guide") == OTHER and not data.get("other"):
            self.add_error(
                "other",
                forms.ValidationError(self.error_messages["other_missing"], code="other_missing"),
            )
        return data

    def chosen_id(self) -> int:
        data = self.cleaned_data
        return int(data["other"]) if data["guide"] == OTHER else int(data["guide"])


class BatchForm(forms.Form):
    """Per newcomer `guide_<onboarding id>` (a candidate's id, or "skip") and
    `reason_<onboarding id>`; `proposed_<onboarding id>` carries the proposal the page showed."""

    def __init__(self, *args: Any, rows: list[tuple[int, list[int], int | None]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        for onboarding_id, options, proposed in rows:
            self.fields[f"guide_{onboarding_id}"] = forms.ChoiceField(
                label=_("Peter/meter"),
                choices=[*((str(pk), str(pk)) for pk in options), (SKIP, _("Not now"))],
                initial=str(proposed) if proposed else SKIP,
                widget=forms.RadioSelect,
            )
            self.fields[f"reason_{onboarding_id}"] = forms.CharField(
                label=_("Why another choice"),
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"proposed_{onboarding_id}"] = forms.CharField(
                required=False, widget=forms.HiddenInput, initial=str(proposed or "")
            )
