"""Input shapes for the onthaal record pages. Business rules live in services_record."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerplek.core.forms import FastSelect
from leerplek.onboarding.models import SafetyInstruction
from leerplek.people.forms import DateInput, OrganisationScopedForm


class InstructionForm(OrganisationScopedForm):
    class Meta:
        model = SafetyInstruction
        fields = ["topic", "title", "content", "job", "workstation", "position", "is_active"]
        widgets = {"content": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "workstation": _(
                "With both a function and a workstation, the instruction is for that function "
                "at that workstation."
            ),
        }


class GiveForm(forms.Form):
    """Which of the instructions still to give were given, when and by whom."""

    instructions = forms.TypedMultipleChoiceField(
        label=_("Instructions given"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one instruction that was given.")},
    )
    given_on = forms.DateField(label=_("Given on"), widget=DateInput())
    given_by = forms.TypedChoiceField(
        label=_("Given by"),
        coerce=int,
        widget=FastSelect,
        help_text=_("Who explained it: the peter/meter, the line manager, the prevention adviser."),
    )

    def __init__(
        self,
        *args: Any,
        instructions: list[tuple[int, str]],
        people: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instructions"].choices = instructions  # type: ignore[attr-defined]
        self.fields["given_by"].choices = [("", "---------"), *people]  # type: ignore[attr-defined]
        self.fields["given_on"].initial = timezone.localdate()


class ProposalsForm(forms.Form):
    prevention_proposals = forms.CharField(
        label=_("Proposals of the prevention service"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "For example: extra instruction on the forklift, hearing protection at the filling "
            "line, a medical examination before night work. Printed on the onthaal document."
        ),
    )


class SignForm(forms.Form):
    correction = forms.CharField(
        label=_("What this version corrects"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only for a correction of a signed version: the signed version is kept."),
    )
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=_("I have read the document and sign it for the employer."),
        error_messages={"required": _("Tick that you have read the document to sign it.")},
    )


class RegisterFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    unit = forms.ChoiceField(label=_("Unit"), required=False, widget=FastSelect)

    def __init__(
        self, *args: Any, years: list[int], units: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years")), *((y, str(y)) for y in years)]  # type: ignore[attr-defined]
        self.fields["unit"].choices = [("", _("All units")), *units]  # type: ignore[attr-defined]
