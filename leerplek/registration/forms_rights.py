"""Input shapes of the training-right pages; the rules are in `services_rights`."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerplek.core.access import Access
from leerplek.core.forms import FastSelect
from leerplek.core.roles import Role
from leerplek.people.models import Organisation
from leerplek.registration.models import SectorRightRule

YEAR_BOUNDS = {"min_value": 2000, "max_value": 2100}
STEP_LINE = re.compile(r"^\s*(\d{4})\s*[:=]\s*([0-9]+(?:[.,][0-9]{1,2})?)\s*$")


def unit_field() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_("Unit (with sub-units)"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[],
        widget=FastSelect,
    )


def set_unit_choices(
    form: forms.Form, *, organisation: Organisation, access: Access, roles: Any
) -> None:
    from leerplek.competences.selectors import reachable_unit_choices

    choices = reachable_unit_choices(organisation=organisation, access=access, roles=roles)
    form.fields["unit"].choices = [("", _("All units")), *choices]  # type: ignore[attr-defined]


class RightFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, **YEAR_BOUNDS)  # type: ignore[arg-type]
    unit = unit_field()
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    below = forms.BooleanField(label=_("Only workers below their right"), required=False)

    def __init__(self, *args: Any, organisation: Organisation, access: Access, **kwargs: Any):
        super().__init__(*args, **kwargs)
        set_unit_choices(
            self,
            organisation=organisation,
            access=access,
            roles=(Role.HR, Role.ADMIN, Role.MANAGER),
        )


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, **YEAR_BOUNDS)  # type: ignore[arg-type]


def chosen_year(form: forms.Form) -> int:
    """The year of a valid filter form, else the current one."""
    if form.is_valid() and form.cleaned_data.get("year"):
        return int(form.cleaned_data["year"])
    return timezone.localdate().year


class SectorRuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, help_text=_("E.g. PC 200 growth path."))
    joint_committee = forms.CharField(label=_("Joint committee (PC/PSC)"), max_length=20)
    cao_number = forms.CharField(
        label=_("Registration number of the CAO"), max_length=40, required=False
    )
    valid_from_year = forms.IntegerField(label=_("Valid from year"), **YEAR_BOUNDS)  # type: ignore[arg-type]
    days_under_10 = forms.DecimalField(
        label=_("Days per full-timer, under 10 FTE"), max_digits=5, decimal_places=2, initial=0
    )
    days_10_to_19 = forms.DecimalField(
        label=_("Days per full-timer, 10 to 19 FTE"), max_digits=5, decimal_places=2, initial=1
    )
    days_20_plus = forms.DecimalField(
        label=_("Days per full-timer, 20 FTE or more"), max_digits=5, decimal_places=2, initial=5
    )
    year_steps = forms.CharField(
        label=_("Days from a year on (20 FTE or more)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One step per line as year: days, e.g. 2024: 3, 2026: 4, 2028: 5. Empty: the days "
            "for 20 FTE or more above apply every year."
        ),
    )
    carries_over = forms.BooleanField(label=_("Unused days carry over"), required=False)
    reset_years = forms.IntegerField(
        label=_("Reset period (years)"),
        required=False,
        min_value=1,
        max_value=20,
        help_text=_("The balance goes back to 0 after each period, e.g. 5."),
    )
    reset_start_year = forms.IntegerField(
        label=_("First year of the first period"),
        required=False,
        **YEAR_BOUNDS,  # type: ignore[arg-type]
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def clean_year_steps(self) -> dict[str, str]:
        steps: dict[str, str] = {}
        for number, line in enumerate(self.cleaned_data["year_steps"].splitlines(), start=1):
            if not line.strip():
                continue
            for part in line.split(";"):
                if not part.strip():
                    continue
                match = STEP_LINE.match(part)
                if match is None:
                    raise ValidationError(
                        _("Line %(line)s: write a step as year: days, e.g. 2026: 4."),
                        code="step_format",
                        params={"line": number},
                    )
                steps[match.group(1)] = match.group(2).replace(",", ".")
        return steps

    @staticmethod
    def initial_of(rule: SectorRightRule) -> dict[str, Any]:
        initial = {name: getattr(rule, name) for name in SectorRuleForm.base_fields}
        initial["year_steps"] = "\n".join(
            f"{year}: {days}" for year, days in (rule.year_steps or {}).items()
        )
        return initial


class RuleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} (PC {obj.joint_committee}, {obj.valid_from_year})"


class RightYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), **YEAR_BOUNDS)  # type: ignore[arg-type]
    fte = forms.DecimalField(
        label=_("FTE in the reference period"),
        required=False,
        max_digits=9,
        decimal_places=2,
        min_value=0,
        help_text=_(
            "The average FTE declared to the RSZ/ONSS over Q4 of year n-2 and Q1-Q3 of year "
            "n-1 before each two-year period. Leave empty to estimate it from the register."
        ),
    )
    rule = RuleChoiceField(
        label=_("Sector rule in use"),
        queryset=SectorRightRule.objects.none(),
        required=False,
        empty_label=_("None: the legal days by company size"),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["rule"].queryset = SectorRightRule.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation
        )


class RegimeForm(forms.Form):
    fraction = forms.DecimalField(
        label=_("Work regime (fraction of full-time)"),
        max_digits=5,
        decimal_places=4,
        help_text=_("0.5 for half-time, 0.8 for four days a week."),
    )
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: until further notice."),
    )
