"""Input shapes for the competence pages. Business rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from leerplek.competences import evidence as evidence_files
from leerplek.competences import services
from leerplek.competences.models import (
    AssessmentMethod,
    Competence,
    CompetenceGroup,
    CompetenceKind,
    Level,
    LevelScale,
    WorkRelease,
)
from leerplek.core.forms import FastSelect
from leerplek.people.forms import DateInput, OrganisationScopedForm
from leerplek.people.models import Employee, Job, Organisation, Workstation

NO_GROUP = "none"


class CompetenceFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *CompetenceKind.choices],
    )
    group = forms.ChoiceField(label=_("Group"), required=False, choices=[])

    def __init__(self, *args: Any, organisation: Organisation, **kw: Any):
        super().__init__(*args, **kw)
        groups = CompetenceGroup.objects.filter(organisation=organisation).values_list("pk", "name")
        self.fields["group"].choices = [  # type: ignore[attr-defined]
            ("", _("All groups")),
            (NO_GROUP, _("No group")),
            *((str(pk), name) for pk, name in groups),
        ]


LEVEL_TEXT_PREFIX = "level_text_"


class CompetenceForm(OrganisationScopedForm):
    """The competence with its group and a text per level of its scale (the group's scale, or the
    default). Changing the group reloads the level fields (htmx); without JavaScript, saving with
    texts typed for another scale shows the new scale's fields and asks to check them."""

    texts_scale = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Competence
        fields = ["code", "name", "group", "kind", "description", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, organisation: Organisation, refresh_url: str = "", **kw: Any):
        super().__init__(*args, organisation=organisation, **kw)
        group_field = self.fields["group"]
        group_field.empty_label = gettext("No group (default scale)")  # type: ignore[attr-defined]
        group_field.help_text = gettext("The group decides the scale its competences use.")
        if refresh_url:
            group_field.widget.attrs.update(
                {
                    "hx-get": refresh_url,
                    "hx-trigger": "change",
                    "hx-target": "#level-texts",
                    "hx-select": "#level-texts",
                    "hx-swap": "outerHTML",
                }
            )
        self.scale = self._scale(organisation)
        self.levels = list(self.scale.levels.order_by("rank"))
        texts = self.instance.level_texts or {}
        for level in self.levels:
            self.fields[LEVEL_TEXT_PREFIX + level.code] = forms.CharField(
                label=f"{level.code} - {level.name}",
                required=False,
                max_length=services.LEVEL_TEXT_MAX,
                initial=texts.get(level.code, ""),
                help_text=level.description,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.scale_changed = False
        if self.is_bound:
            posted = self.data.get("texts_scale")
            self.scale_changed = bool(posted) and posted != str(self.scale.pk)
            data = self.data.copy()  # type: ignore[attr-defined]
            data["texts_scale"] = str(self.scale.pk)
            self.data = data
        self.initial["texts_scale"] = self.scale.pk

    def _scale(self, organisation: Organisation) -> LevelScale:
        group_id = self.data.get("group") if self.is_bound else self.initial.get("group")
        if not self.is_bound and group_id is None:
            group_id = self.instance.group_id
        group = None
        if group_id and str(group_id).isdigit():
            queryset = self.fields["group"].queryset  # type: ignore[attr-defined]
            group = queryset.select_related("scale").filter(pk=int(group_id)).first()
        if group is not None and group.scale is not None:
            return group.scale
        return services.default_scale(organisation)

    @property
    def main_fields(self) -> list[Any]:
        return [
            self[name]
            for name in self.fields
            if not name.startswith(LEVEL_TEXT_PREFIX) and name != "texts_scale"
        ]

    @property
    def level_fields(self) -> list[Any]:
        return [self[LEVEL_TEXT_PREFIX + level.code] for level in self.levels]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        texts = {
            level.code: data.pop(LEVEL_TEXT_PREFIX + level.code, "") or "" for level in self.levels
        }
        data.pop("texts_scale", None)
        typed = any(
            str(value).strip()
            for key, value in self.data.items()
            if key.startswith(LEVEL_TEXT_PREFIX)
        )
        if self.scale_changed and typed:
            raise forms.ValidationError(
                gettext(
                    "This group measures on the scale %(scale)s: check the text per level below "
                    "and save again."
                )
                % {"scale": self.scale.name},
                code="scale_changed",
            )
        data["level_texts"] = {code: text for code, text in texts.items() if text.strip()}
        return data

    def add_error(self, field: str | None, error: Any) -> None:
        # A service error on a key without a field of its own (e.g. level_texts) shows on top.
        if field is None and hasattr(error, "error_dict"):
            unknown = [key for key in error.error_dict if key not in self.fields]
            for key in unknown:
                super().add_error(None, error.error_dict.pop(key))
            if not error.error_dict:
                return
        super().add_error(field, error)


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
    ideal_trainers = forms.IntegerField(
        label=_("Ideal number of people who can teach it (O)"),
        required=False,
        min_value=0,
        max_value=999,
        initial=0,
        help_text=_(
            "People at a level that may train others (O, or 5 on a 1-5 scale); they count in the "
            "number above too."
        ),
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

    def clean_ideal_trainers(self) -> int:
        """Empty means nobody needs to be able to teach it."""
        return self.cleaned_data.get("ideal_trainers") or 0


EVIDENCE_ACCEPT = ",".join([*evidence_files.ACCEPTED, "application/pdf", "image/*"])


def evidence_field(label: Any) -> forms.FileField:
    return forms.FileField(
        label=label, required=False, widget=forms.FileInput(attrs={"accept": EVIDENCE_ACCEPT})
    )


class EvidenceMixin:
    """An optional evidence file (PDF or photo), checked on suffix, content and size; the service
    checks it again for callers without a form."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["evidence"].help_text = gettext(
            "A PDF or a photo (JPG, PNG, WEBP or HEIC) of at most %(max)s MB, such as a "
            "certificate or a test result."
        ) % {"max": evidence_files.max_bytes() // 1024 // 1024}

    def clean_evidence(self) -> Any:
        file = self.cleaned_data.get("evidence")  # type: ignore[attr-defined]
        if file:
            evidence_files.check(file)
        return file or None


class AssessmentForm(EvidenceMixin, forms.Form):
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
    evidence = evidence_field(_("Evidence"))

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


class SelfAssessmentForm(EvidenceMixin, forms.Form):
    competence = forms.ModelChoiceField(queryset=Competence.objects.none(), label=_("Competence"))
    level = LevelChoiceField(
        queryset=Level.objects.none(),
        label=_("My level"),
        help_text=_("Your own view; only a manager, coach or instructor sets the official level."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = evidence_field(_("Evidence"))

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


class MatrixFilterForm(MatrixUnitForm):
    """The matrix page's filters, all GET parameters so a filtered matrix is a shareable link."""

    workstation = forms.TypedChoiceField(
        label=_("Workstation"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[],
        widget=FastSelect,
    )
    group = forms.TypedChoiceField(
        label=_("Competence group"), coerce=int, empty_value=None, required=False, choices=[]
    )
    required = forms.BooleanField(
        label=_("Required competences only"),
        required=False,
        help_text=_("Hide competences that are only desirable."),
    )
    gaps = forms.BooleanField(label=_("Highlight gaps only"), required=False)

    def __init__(
        self,
        *args: Any,
        choices: list[tuple[int, str]],
        workstations: list[tuple[int, str]],
        groups: list[tuple[int, str]],
        **kw: Any,
    ):
        super().__init__(*args, choices=choices, **kw)
        self.fields["unit"].label = _("Unit or shift")
        self.fields["unit"].widget = FastSelect(choices=choices)
        self.fields["workstation"].choices = [  # type: ignore[attr-defined]
            ("", gettext("All workstations")),
            *workstations,
        ]
        if groups:
            self.fields["group"].choices = [  # type: ignore[attr-defined]
                ("", gettext("All groups")),
                *groups,
            ]
        else:
            del self.fields["group"]


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
