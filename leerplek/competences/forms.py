"""Input shapes for the competence pages. Business rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from leerplek.competences import services
from leerplek.competences.models import (
    AssessmentMethod,
    Competence,
    CompetenceKind,
    Level,
    LevelScale,
    WorkRelease,
)
from leerplek.people.forms import DateInput, OrganisationScopedForm
from leerplek.people.models import Employee, Job, Organisation, Workstation


class CompetenceFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *CompetenceKind.choices],
    )


class CompetenceForm(OrganisationScopedForm):
    class Meta:
        model = Competence
        fields = ["code", "name", "kind", "description", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class LevelChoiceField(forms.ModelChoiceField):
    """Levels of every scale of the organisation; the scale name shows when there are several."""

    def label_from_instance(self, obj: Any) -> str:
        if getattr(self, "several_scales", False):
            return f"{obj.scale.name}: {obj.code} - {obj.name}"
        return str(obj)


def organisation_levels(field: forms.Field, organisation: Organisation) -> None:
    """Point a level field at all levels of the organisation's scales (the service checks that
    the chosen level belongs to the competence's scale)."""
    services.default_scale(organisation)
    levels = Level.objects.filter(scale__organisation=organisation).select_related("scale")
    field.queryset = levels.order_by(  # type: ignore[attr-defined]
        "-scale__is_default", "scale__name", "rank"
    )
    field.several_scales = (  # type: ignore[attr-defined]
        LevelScale.objects.filter(organisation=organisation).count() > 1
    )


class RequirementForm(forms.Form):
    job = forms.ModelChoiceField(
        queryset=Job.objects.none(),
        label=pgettext_lazy("job", "Function"),
        required=False,
        help_text=_("Choose a function or a workstation."),
    )
    workstation = forms.ModelChoiceField(
        queryset=Workstation.objects.none(), label=_("Workstation"), required=False
    )
    level = forms.ModelChoiceField(queryset=Level.objects.none(), label=_("Required level"))
    mandatory = forms.BooleanField(
        label=_("Mandatory (otherwise desirable)"), required=False, initial=True
    )
    validity_months = forms.IntegerField(
        label=_("Valid for (months)"),
        required=False,
        min_value=1,
        max_value=240,
        help_text=_("Leave empty when the competence does not need re-qualification."),
    )
    ideal_count = forms.IntegerField(
        label=_("Ideal number of people at U or higher"), min_value=0, max_value=999, initial=0
    )

    def __init__(self, *args: Any, organisation: Organisation, scale: LevelScale, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["job"].queryset = Job.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation, is_active=True
        )
        self.fields["workstation"].queryset = Workstation.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation
        )
        self.fields["level"].queryset = Level.objects.filter(scale=scale)  # type: ignore[attr-defined]


class AssessmentForm(forms.Form):
    competence = forms.ModelChoiceField(queryset=Competence.objects.none(), label=_("Competence"))
    level = LevelChoiceField(queryset=Level.objects.none(), label=_("Level"))
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DateInput())
    method = forms.ChoiceField(
        label=_("Method"),
        choices=[c for c in AssessmentMethod.choices if c[0] != AssessmentMethod.SELF_ASSESSMENT],
    )
    assessor = forms.ModelChoiceField(queryset=Employee.objects.none(), label=_("Assessor"))
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DateInput())
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, organisation: Organisation, **kw: Any):
        kw.setdefault("initial", {}).setdefault("assessed_on", timezone.localdate())
        super().__init__(*args, **kw)
        self.fields["competence"].queryset = Competence.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation, is_active=True
        )
        organisation_levels(self.fields["level"], organisation)
        self.fields["assessor"].queryset = Employee.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation
        ).active()


class SelfAssessmentForm(forms.Form):
    competence = forms.ModelChoiceField(queryset=Competence.objects.none(), label=_("Competence"))
    level = LevelChoiceField(
        queryset=Level.objects.none(),
        label=_("My level"),
        help_text=_("Your own view; only a manager, coach or instructor sets the official level."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, organisation: Organisation, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["competence"].queryset = Competence.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation, is_active=True
        )
        organisation_levels(self.fields["level"], organisation)


class WorkReleaseForm(forms.Form):
    employee = forms.ModelChoiceField(queryset=Employee.objects.none(), label=_("Person"))
    workstation = forms.ModelChoiceField(
        queryset=Workstation.objects.none(), label=_("Workstation")
    )
    released_on = forms.DateField(label=_("Released on"), widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args: Any, organisation: Organisation, people: Any, **kw: Any):
        kw.setdefault("initial", {}).setdefault("released_on", timezone.localdate())
        super().__init__(*args, **kw)
        self.fields["employee"].queryset = people  # type: ignore[attr-defined]
        self.fields["workstation"].queryset = Workstation.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation
        )


def _release_label(release: WorkRelease) -> str:
    return gettext("%(name)s at %(workstation)s since %(date)s") % {
        "name": release.employee,
        "workstation": release.workstation,
        "date": release.released_on,
    }


class RevokeForm(forms.Form):
    release = forms.ModelChoiceField(
        queryset=WorkRelease.objects.none(), label=_("Release to work alone")
    )
    revoked_on = forms.DateField(label=_("Revoked on"), widget=DateInput())

    def __init__(self, *args: Any, releases: Any, **kw: Any):
        kw.setdefault("initial", {}).setdefault("revoked_on", timezone.localdate())
        super().__init__(*args, **kw)
        self.fields["release"].queryset = releases  # type: ignore[attr-defined]
        field = self.fields["release"]
        field.label_from_instance = _release_label  # type: ignore[attr-defined]


class MatrixUnitForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int, choices=[])

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["unit"].choices = choices  # type: ignore[attr-defined]


class MatrixCellForm(forms.Form):
    """The small in-place form of a matrix cell; the rest of an assessment takes its defaults."""

    level = forms.ModelChoiceField(queryset=Level.objects.none(), label=_("Level"))
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DateInput())
    method = forms.ChoiceField(
        label=_("Method"),
        choices=[c for c in AssessmentMethod.choices if c[0] != AssessmentMethod.SELF_ASSESSMENT],
    )

    def __init__(self, *args: Any, scale: LevelScale, **kw: Any):
        kw.setdefault("initial", {}).setdefault("assessed_on", timezone.localdate())
        super().__init__(*args, **kw)
        self.fields["level"].queryset = Level.objects.filter(scale=scale)  # type: ignore[attr-defined]
