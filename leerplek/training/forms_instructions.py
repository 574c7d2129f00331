"""Input shapes for work instructions. Business rules live in services_instructions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from leerplek.people.models import Job, Organisation, User, Workstation
from leerplek.training.forms_programmes import ServiceForm, rows
from leerplek.training.models import (
    InstructionStep,
    InstructionVersion,
    KeyPoint,
    KeyPointKind,
    SignalStatus,
)
from leerplek.training.models.instructions import SOURCE_LANGUAGE
from leerplek.training.services_programmes import organisation_users

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _Placement(ServiceForm):
    workstation = forms.ModelChoiceField(
        label=_("Workstation or machine"), queryset=Workstation.objects.none(), required=False
    )
    job = forms.ModelChoiceField(
        label=pgettext_lazy("job", "Function"), queryset=Job.objects.none(), required=False
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Keeps the instruction up to date and answers signals about it."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["workstation"].queryset = Workstation.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation
        ).order_by("name")
        self.fields["job"].queryset = Job.objects.filter(organisation=organisation).order_by(  # type: ignore[attr-defined]
            "name"
        )
        self.fields["owner"].queryset = organisation_users(organisation).order_by(  # type: ignore[attr-defined]
            "first_name", "last_name"
        )


class InstructionForm(_Placement):
    code = forms.CharField(label=_("Code"), max_length=40, help_text=_("e.g. WI-SAUS-01"))
    title = forms.CharField(
        label=_("Title (Dutch)"), max_length=200, help_text=_("The job, e.g. 'Saus afvullen'.")
    )
    field_order = ["code", "title", "workstation", "job", "owner"]


class InstructionSettingsForm(_Placement):
    code = forms.CharField(label=_("Code"), max_length=40)
    is_archived = forms.BooleanField(
        label=_("Archived (no longer used; holders keep their history)"), required=False
    )
    field_order = ["code", "workstation", "job", "owner", "is_archived"]


class VersionForm(ServiceForm):
    title = forms.CharField(label=_("Title (Dutch)"), max_length=200)
    quality_norm = forms.CharField(
        label=_("Quality norm"),
        required=False,
        widget=rows(2),
        help_text=_("What a good result looks like, e.g. 'Emmer 10 kg ± 50 g, deksel dicht'."),
    )
    change_summary = forms.CharField(
        label=_("What changed (from version 2 on)"),
        required=False,
        widget=rows(3),
        help_text=_("Everyone who holds the instruction reads this and confirms it."),
    )
    confirm_within_days = forms.IntegerField(
        label=_("Days to read and confirm"), min_value=1, max_value=365
    )

    @classmethod
    def for_version(cls, version: InstructionVersion, data: Any = None) -> VersionForm:
        return cls(
            data,
            initial={
                "title": version.title.get(SOURCE_LANGUAGE, ""),
                "quality_norm": version.quality_norm.get(SOURCE_LANGUAGE, ""),
                "change_summary": version.change_summary.get(SOURCE_LANGUAGE, ""),
                "confirm_within_days": version.confirm_within_days,
            },
        )

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": {SOURCE_LANGUAGE: data["title"]},
            "quality_norm": {SOURCE_LANGUAGE: data["quality_norm"]},
            "change_summary": {SOURCE_LANGUAGE: data["change_summary"]},
            "confirm_within_days": data["confirm_within_days"],
        }


class StepForm(ServiceForm):
    text = forms.CharField(
        label=_("Important step (what)"),
        max_length=300,
        help_text=_("Short and starting with the verb: 'Zet de emmer onder de vulkop'."),
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("JPG, PNG or WEBP; show the hands at work."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    video_url = forms.URLField(label=_("Short video (link)"), required=False, assume_scheme="https")
    remove_photo = forms.BooleanField(label=_("Remove the photo"), required=False)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["remove_photo"]

    @classmethod
    def for_step(cls, step: InstructionStep, data: Any = None, files: Any = None) -> StepForm:
        return cls(
            data,
            files,
            editing=True,
            initial={"text": step.text.get(SOURCE_LANGUAGE, ""), "video_url": step.video_url},
        )


class KeyPointForm(ServiceForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=KeyPointKind.choices)
    text = forms.CharField(
        label=_("Key point (how)"),
        max_length=300,
        help_text=_("What makes or breaks the step: safety, quality, or the knack."),
    )
    reason = forms.CharField(
        label=_("Reason (why)"), max_length=300, help_text=_("Why this key point matters.")
    )

    @classmethod
    def for_point(cls, point: KeyPoint, data: Any = None) -> KeyPointForm:
        return cls(
            data,
            initial={
                "kind": point.kind,
                "text": point.text.get(SOURCE_LANGUAGE, ""),
                "reason": point.reason.get(SOURCE_LANGUAGE, ""),
            },
        )


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("up")), ("down", _("down"))])


class TranslationForm(ServiceForm):
    """Every text of a draft with its Dutch source as the label."""

    def __init__(
        self, *args: Any, version: InstructionVersion, language: str, steps: list[Any], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.is_rtl = False

        def add(key: str, source: dict[str, Any], label: str, area: bool = False) -> None:
            dutch = str(source.get(SOURCE_LANGUAGE) or "")
            if not dutch:
                return
            attrs = {"lang": language, "dir": "auto"}
            widget = (
                forms.Textarea(attrs={**attrs, "rows": 2}) if area else forms.TextInput(attrs=attrs)
            )
            self.fields[key] = forms.CharField(
                label=f"{label}: {dutch}", required=False, widget=widget, max_length=2000
            )
            self.initial[key] = source.get(language, "")

        add("title", version.title, str(_("Title")))
        add("quality_norm", version.quality_norm, str(_("Quality norm")), area=True)
        add("change_summary", version.change_summary, str(_("What changed")), area=True)
        for number, step in enumerate(steps, start=1):
            add(f"step-{step.pk}", step.text, str(_("Step %(n)s") % {"n": number}))
            for point in step.key_points.all():
                add(f"point-{point.pk}", point.text, str(_("Key point")))
                add(f"reason-{point.pk}", point.reason, str(_("Reason")))


class LanguageForm(ServiceForm):
    code = forms.CharField(
        label=_("Language code"), max_length=3, help_text=_("ISO 639-1, e.g. pl, ro, tr, ar.")
    )
    name = forms.CharField(
        label=_("Name"), max_length=60, help_text=_("As its readers write it, e.g. Polski.")
    )
    is_rtl = forms.BooleanField(label=_("Written right to left (e.g. Arabic)"), required=False)


class SignalForm(ServiceForm):
    step = forms.ModelChoiceField(
        label=_("Which step?"),
        queryset=InstructionStep.objects.none(),
        required=False,
        empty_label=_("The whole job"),
    )
    description = forms.CharField(
        label=_("The two versions"),
        widget=rows(4),
        help_text=_("What you were shown, by whom, and how it differs from the instruction."),
    )

    def __init__(self, *args: Any, steps: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["step"]
        field.queryset = steps  # type: ignore[attr-defined]
        field.label_from_instance = lambda step: (  # type: ignore[attr-defined]
            f"{step.position}. {step.text.get(SOURCE_LANGUAGE, '')}"
        )


class SignalHandleForm(ServiceForm):
    status = forms.ChoiceField(
        label=_("What happened"),
        choices=[c for c in SignalStatus.choices if c[0] != SignalStatus.OPEN],
    )
    round_table_on = forms.DateField(label=_("Round table on"), required=False, widget=DATE)
    participants = forms.CharField(label=_("Who takes part"), required=False, max_length=300)
    outcome = forms.CharField(label=_("What was agreed"), required=False, widget=rows(3))
    resulting_version = forms.ModelChoiceField(
        label=_("New version"), queryset=InstructionVersion.objects.none(), required=False
    )

    def __init__(self, *args: Any, versions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["resulting_version"]
        field.queryset = versions  # type: ignore[attr-defined]
        field.label_from_instance = lambda v: f"v{v.number}"  # type: ignore[attr-defined]


class ConfirmForm(forms.Form):
    """A page whose only input is its button."""
