"""Input shapes for the onboarding pages. Business rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerplek.core.forms import FastSelect
from leerplek.onboarding.models import (
    ConsultationBody,
    OnboardingReason,
    OnboardingStatus,
    OnboardingTemplate,
    TemplateTask,
)
from leerplek.people.forms import DateInput, OrganisationScopedForm


class TemplateForm(OrganisationScopedForm):
    class Meta:
        model = OnboardingTemplate
        fields = ["name", "job", "description", "duration_months", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class TemplateTaskForm(forms.ModelForm):
    class Meta:
        model = TemplateTask
        fields = [
            "section",
            "title",
            "owner",
            "offset_days",
            "duration_days",
            "how",
            "on_work_floor",
            "position",
        ]
        widgets = {"how": forms.Textarea(attrs={"rows": 3})}


class ApprovalForm(forms.Form):
    body = forms.ChoiceField(label=_("Consultation body"), choices=ConsultationBody.choices)
    meeting_date = forms.DateField(label=_("Meeting date"), widget=DateInput())
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class OnboardingFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *OnboardingStatus.choices],
    )
    without_guide = forms.BooleanField(label=_("Only without peter/meter"), required=False)


class StartForm(forms.Form):
    employee = forms.TypedChoiceField(label=_("Newcomer"), coerce=int, widget=FastSelect)
    reason = forms.ChoiceField(label=_("Reason"), choices=OnboardingReason.choices)
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    organiser = forms.TypedChoiceField(
        label=_("Organiser of the welcome"),
        coerce=int,
        widget=FastSelect,
        help_text=_(
            "A member of the hierarchical line who organises the welcome and signs the "
            "welcome record."
        ),
    )

    def __init__(
        self,
        *args: Any,
        people: list[tuple[int, str]],
        organisers: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employee"].choices = [("", "---------"), *people]  # type: ignore[attr-defined]
        self.fields["organiser"].choices = [("", "---------"), *organisers]  # type: ignore[attr-defined]
        self.fields["start_date"].initial = timezone.localdate()


class GuideForm(forms.Form):
    guide = forms.TypedChoiceField(
        label=_("Peter/meter"),
        coerce=int,
        widget=FastSelect,
        help_text=_("An experienced colleague; the number shows how many newcomers each guides."),
    )
    is_backup = forms.BooleanField(
        label=_("Backup (stands in when the peter/meter is absent)"), required=False
    )
    reason = forms.CharField(
        label=_("Why this colleague"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["guide"].choices = [("", "---------"), *choices]  # type: ignore[attr-defined]
