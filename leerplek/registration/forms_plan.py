"""Forms of the training plan: a plan, a line, a proposed need and the consultation steps."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from leerplek.competences.models import Competence
from leerplek.registration.models import (
    ConsultationBody,
    LearningForm,
    PlanLine,
    SubmittedNeedSource,
    TransferStatus,
)
from leerplek.registration.services_plan import risk_group_choices

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2200)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    budget = forms.DecimalField(
        label=_("Budget (EUR)"), max_digits=12, decimal_places=2, min_value=0, required=False
    )


class PlanLineForm(forms.Form):
    title = forms.CharField(label=_("Training"), max_length=200)
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("formal", _("Formal")), ("informal", _("Less formal or informal"))],
    )
    learning_form = forms.ChoiceField(
        label=_("Form of learning"),
        choices=LearningForm.choices,
        help_text=_(
            "Technical skills are often learnt off the job; responsibility, cooperation and "
            "quality rather on the job."
        ),
    )
    target_group = forms.CharField(label=_("Target group"), max_length=300)
    risk_groups = forms.MultipleChoiceField(
        label=_("Attention to risk groups"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    gender_note = forms.CharField(
        label=_("Attention to gender"),
        max_length=300,
        required=False,
        help_text=_("For example: equal access for men and women, or a group to reach."),
    )
    planned_participants = forms.IntegerField(label=_("Planned participants"), min_value=0)
    planned_hours = forms.DecimalField(
        label=_("Planned hours (all participants)"), max_digits=9, decimal_places=2, min_value=0
    )
    planned_cost = forms.DecimalField(
        label=_("Planned cost (EUR)"), max_digits=12, decimal_places=2, min_value=0
    )
    counts_for_right = forms.BooleanField(
        label=_("Counts for the individual training right"), required=False, initial=True
    )
    right_note = forms.CharField(
        label=_("How it contributes to the training right"), max_length=300, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["risk_groups"].choices = risk_group_choices()  # type: ignore[attr-defined]


class NeedForm(forms.Form):
    year = forms.IntegerField(label=_("For the plan of"), min_value=2000, max_value=2200)
    description = forms.CharField(
        label=_("What should be learnt?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
    target_group = forms.CharField(
        label=_("For whom?"),
        max_length=300,
        help_text=_("A group, a team or a job; employee representatives name no person."),
    )
    competence: forms.ModelChoiceField[Competence] = forms.ModelChoiceField(
        label=_("Competence"), queryset=Competence.objects.none(), required=False
    )
    source = forms.ChoiceField(label=_("I put this forward as"))

    def __init__(self, *args: Any, competences: Any, sources: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competence"].queryset = competences  # type: ignore[attr-defined]
        labels = dict(SubmittedNeedSource.choices)
        self.fields["source"].choices = [(code, labels[code]) for code in sources]  # type: ignore[attr-defined]
        if len(sources) == 1:
            self.fields["source"].widget = forms.HiddenInput()
            self.fields["source"].initial = sources[0]


class ResolutionForm(forms.Form):
    learning_form = forms.ChoiceField(
        label=_("How is the need met?"), choices=LearningForm.choices, widget=forms.RadioSelect
    )
    plan_line = forms.ModelChoiceField(
        label=_("In the plan line"),
        queryset=PlanLine.objects.none(),
        required=False,
        empty_label=_("Not in a line yet"),
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, lines: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan_line"].queryset = lines  # type: ignore[attr-defined]


class TransferForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=TransferStatus.choices)
    employee_note = forms.CharField(
        label=_("The employee: how do you apply it at work?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
        required=False,
    )
    manager_note = forms.CharField(
        label=_("The manager: what do you see at work? What would help?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
        required=False,
    )


class ShareForm(forms.Form):
    body = forms.ChoiceField(label=_("Consultation body"), choices=ConsultationBody.choices)
    shared_on = forms.DateField(label=_("Draft shared on"), widget=DATE)
    meeting_on = forms.DateField(label=_("Meeting date"), widget=DATE)


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment of the consultation body"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )


class AdviceForm(forms.Form):
    advice = forms.CharField(label=_("The body's advice"), widget=forms.Textarea(attrs={"rows": 3}))
    advice_on = forms.DateField(label=_("Advice given on"), widget=DATE)


class InForceForm(forms.Form):
    in_force_on = forms.DateField(label=_("In force from"), widget=DATE)


class FiledForm(forms.Form):
    filed_on = forms.DateField(label=_("Filed on"), widget=DATE)
