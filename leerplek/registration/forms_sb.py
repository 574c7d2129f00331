"""Input shape of the social-balance year page: the reason for reopening a year, the staff
cost per gender and a company-level fund contribution (the rules are in `services_sb` and
`services`)."""

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


class ContributionForm(forms.Form):
    """A payment to a collective (sector) fund made at company level, for no one activity."""

    paid_on = forms.DateField(
        label=_("Paid on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The day of payment decides the financial year it counts in."),
    )
    fund = forms.CharField(
        label=_("Fund"),
        max_length=200,
        help_text=_("E.g. Alimento, Cevora, Volta, the PC 200 training fund."),
    )
    amount = forms.CharField(
        label=_("Amount (EUR)"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=_("In euro, at most two decimals, e.g. 1850.40"),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=200,
        required=False,
        help_text=_("E.g. the sector training contribution of the second quarter."),
    )
