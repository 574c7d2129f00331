"""Input shape of the social-balance year page: the reason for reopening a year and the staff
cost per gender (the rules are in `services_sb`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the year is reopened"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The audit log keeps the reason with the figures that were frozen."),
    )


class StaffCostForm(forms.Form):
    staff_cost_men = forms.CharField(
        label=_("Staff cost of men (10231)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=_("In euro, e.g. 125000.50"),
    )
    staff_cost_women = forms.CharField(
        label=_("Staff cost of women (10232)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=_("In euro, e.g. 98000"),
    )
