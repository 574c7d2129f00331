"""Input shapes for a learner's programme. Business rules live in services_learning."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerplek.core.forms import FastSelect
from leerplek.people.models import Employee, Organisation
from leerplek.training.forms_programmes import ServiceForm, rows
from leerplek.training.models import (
    Audience,
    ChecklistItem,
    Module,
    ProgrammeVersion,
    VersionStatus,
    WorkInstruction,
)
from leerplek.training.selectors_learning import employee_choices

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _people(organisation: Organisation) -> Any:
    return employee_choices(organisation.pk).select_related("unit")


class VersionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: ProgrammeVersion) -> str:
        return f"{obj.programme.code} · {obj.programme.title} (v{obj.number})"


class AssignmentForm(ServiceForm):
    employee = forms.ModelChoiceField(
        label=_("Learner"), queryset=Employee.objects.none(), widget=FastSelect
    )
    version = VersionChoice(
        label=_("Programme"),
        queryset=ProgrammeVersion.objects.none(),
        help_text=_("Only approved programmes can be assigned; the learner keeps this version."),
    )
    guide = forms.ModelChoiceField(
        label=_("Peter/meter or instructor"),
        queryset=Employee.objects.none(),
        required=False,
        widget=FastSelect,
        help_text=_("Plans the modules, teaches and confirms what the learner declares done."),
    )
    audience = forms.ChoiceField(label=_("Followed as"), choices=Audience.choices)
    started_on = forms.DateField(label=_("Starts on"), widget=DATE)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = _people(organisation)
        self.fields["employee"].queryset = people  # type: ignore[attr-defined]
        self.fields["guide"].queryset = people  # type: ignore[attr-defined]
        self.fields["version"].queryset = (  # type: ignore[attr-defined]
            ProgrammeVersion.objects.filter(
                organisation=organisation,
                status=VersionStatus.APPROVED,
                programme__is_archived=False,
            )
            .select_related("programme")
            .order_by("programme__code")
        )
        self.fields["started_on"].initial = timezone.localdate()


class StopForm(ServiceForm):
    stop_reason = forms.CharField(
        label=_("Why does the programme stop?"), max_length=300, widget=rows(2)
    )


class GuideForm(ServiceForm):
    guide = forms.ModelChoiceField(
        label=_("Peter/meter or instructor"),
        queryset=Employee.objects.none(),
        required=False,
        widget=FastSelect,
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["guide"].queryset = _people(organisation)  # type: ignore[attr-defined]


class PlanForm(ServiceForm):
    planned_start = forms.DateField(label=_("Planned start"), required=False, widget=DATE)
    planned_end = forms.DateField(label=_("Planned end"), required=False, widget=DATE)
    actual_start = forms.DateField(label=_("Really started on"), required=False, widget=DATE)


class ChecklistForm(ServiceForm):
    """The module's checklist, in the order of execution, and a note."""

    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=rows(2))

    def __init__(self, *args: Any, items: list[ChecklistItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        fields = {}
        for number, item in enumerate(items, start=1):
            fields[f"item_{item.pk}"] = forms.BooleanField(
                label=f"{number}. {item.text}", required=False
            )
        self.fields = {**fields, "note": self.fields["note"]}

    def ticked(self) -> list[int]:
        return [item.pk for item in self.items if self.cleaned_data.get(f"item_{item.pk}")]


class RevokeForm(ServiceForm):
    revoke_reason = forms.CharField(
        label=_("Why is the sign-off revoked?"),
        max_length=300,
        widget=rows(2),
        help_text=_("Kept in the audit log. The learner does the module again."),
    )


class SessionForm(ServiceForm):
    """The TWI Job Instruction session, in its four steps."""

    module = forms.ModelChoiceField(label=_("Module"), queryset=Module.objects.none())
    instruction = forms.ModelChoiceField(
        label=_("Work instruction taught"), queryset=WorkInstruction.objects.none(), required=False
    )
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    instructor = forms.ModelChoiceField(
        label=_("Taught by"), queryset=Employee.objects.none(), widget=FastSelect
    )
    prepared = forms.BooleanField(
        label=_("1. Put the worker at ease, found out what he knows, placed him well"),
        required=False,
    )
    preparation_note = forms.CharField(
        label=_("What he already knew"), required=False, widget=rows(2)
    )
    presented_steps = forms.BooleanField(
        label=_("2a. Showed the job, naming each important step"), required=False
    )
    presented_key_points = forms.BooleanField(
        label=_("2b. Showed it again, stressing each key point"), required=False
    )
    presented_reasons = forms.BooleanField(
        label=_("2c. Showed it a third time, giving the reason for each key point"),
        required=False,
    )
    tried_steps = forms.BooleanField(
        label=_("3a. He did the job, naming the important steps"), required=False
    )
    tried_key_points = forms.BooleanField(
        label=_("3b. Again, naming the key points"), required=False
    )
    tried_reasons = forms.BooleanField(label=_("3c. Again, giving the reasons"), required=False)
    tryout_note = forms.CharField(label=_("What was corrected"), required=False, widget=rows(2))
    go_to_person = forms.ModelChoiceField(
        label=_("4. Go-to person for questions"),
        queryset=Employee.objects.none(),
        required=False,
        widget=FastSelect,
    )
    check_dates = forms.CharField(
        label=_("Follow-up checks"),
        required=False,
        help_text=_(
            "Dates (YYYY-MM-DD) separated by commas; left empty: 1, 3, 7, 14 and 30 days after."
        ),
    )

    def __init__(
        self,
        *args: Any,
        organisation: Organisation,
        modules: Any,
        instructions: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        people = _people(organisation)
        self.fields["module"].queryset = modules  # type: ignore[attr-defined]
        self.fields["instruction"].queryset = instructions  # type: ignore[attr-defined]
        self.fields["instructor"].queryset = people  # type: ignore[attr-defined]
        self.fields["go_to_person"].queryset = people  # type: ignore[attr-defined]
        self.fields["held_on"].initial = timezone.localdate()

    def clean_check_dates(self) -> list[datetime.date]:
        text = self.cleaned_data.get("check_dates") or ""
        dates = []
        for part in text.replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            try:
                dates.append(datetime.date.fromisoformat(part))
            except ValueError as error:
                raise ValidationError(
                    _("“%(value)s” is not a date: write it as YYYY-MM-DD."),
                    code="bad_date",
                    params={"value": part},
                ) from error
        return dates


class CheckForm(ServiceForm):
    note = forms.CharField(label=_("What you saw"), required=False, max_length=300)
