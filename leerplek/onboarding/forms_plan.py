"""Input shapes for running an onboarding. Business rules live in `services_plan`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerplek.core.forms import FastSelect
from leerplek.onboarding.models import OnboardingTask
from leerplek.people.forms import DateInput
from leerplek.people.models import Workstation


class PlanTaskForm(forms.ModelForm):
    """A task of a running onboarding; the workstation list is the organisation's."""

    class Meta:
        model = OnboardingTask
        fields = ["section", "title", "owner", "due_on", "how", "on_work_floor", "workstation"]
        widgets = {"how": forms.Textarea(attrs={"rows": 3}), "due_on": DateInput()}
        help_texts = {
            "on_work_floor": _(
                "Work-floor tasks wait for a peter/meter and are closed by the release to work "
                "alone at their workstation."
            ),
            "workstation": _(
                "Leave empty for the newcomer's own workstation: his release there closes it."
            ),
        }

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["workstation"]
        field.queryset = Workstation.objects.filter(  # type: ignore[attr-defined]
            organisation_id=organisation_id
        ).order_by("name", "code")


class ShiftForm(forms.Form):
    days = forms.IntegerField(
        label=_("Move by (days)"),
        min_value=-365,
        max_value=365,
        help_text=_("For example 7 moves every open task a week later; -3 three days earlier."),
    )


class EndForm(forms.Form):
    ended_on = forms.DateField(label=_("Ended on"), widget=DateInput())
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, note_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = timezone.localdate()
        if note_required:
            self.fields["note"].label = _("Why it stops")
            self.fields["note"].help_text = _(
                "Required. For example: left the company on 3 March; moved to another function."
            )


class NotebookForm(forms.Form):
    text = forms.CharField(
        label=_("Tip"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/*,.heic,.heif"}),
        help_text=_("JPG, PNG, WEBP or HEIC, for example a photo of a machine setting."),
    )
    task = forms.TypedChoiceField(
        label=_("About the task"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, tasks: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task"].choices = [("", _("No task in particular")), *tasks]  # type: ignore[attr-defined]


class ObservationForm(forms.Form):
    observed_on = forms.DateField(label=_("Observed on"), widget=DateInput())
    task = forms.TypedChoiceField(
        label=_("Task observed"), required=False, coerce=int, empty_value=None
    )
    went_well = forms.CharField(
        label=_("What went well"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    to_improve = forms.CharField(
        label=_("What can be better"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    feedback_given = forms.CharField(
        label=_("Feedback given"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you told the newcomer, so the next colleague can build on it."),
        error_messages={
            "required": _(
                "Write the feedback you gave the newcomer; an observation without it does not "
                "help him."
            )
        },
    )

    def __init__(self, *args: Any, tasks: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task"].choices = [("", _("No task in particular")), *tasks]  # type: ignore[attr-defined]
        self.fields["observed_on"].initial = timezone.localdate()


class ReleaseForm(forms.Form):
    workstation = forms.TypedChoiceField(label=_("Workstation"), coerce=int, widget=FastSelect)
    released_on = forms.DateField(label=_("Works alone there from"), widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args: Any, stations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["workstation"].choices = [("", "---------"), *stations]  # type: ignore[attr-defined]
        self.fields["released_on"].initial = timezone.localdate()
