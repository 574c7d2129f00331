"""Input shapes for the pages of competence groups and level scales. Rules live in
`catalogue_services`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from leerplek.competences import catalogue_services
from leerplek.competences.models import CompetenceGroup, Level, LevelScale
from leerplek.people.forms import OrganisationScopedForm
from leerplek.people.models import Organisation


class GroupForm(OrganisationScopedForm):
    class Meta:
        model = CompetenceGroup
        fields = ["name", "description", "scale"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, organisation: Organisation, **kw: Any):
        super().__init__(*args, organisation=organisation, **kw)
        field = self.fields["scale"]
        field.empty_label = _("The default scale")  # type: ignore[attr-defined]
        field.queryset = LevelScale.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation, is_default=False
        )
        field.help_text = _(
            "Leave the default scale (ILUO) or choose another one, such as a numeric 1-5 scale. "
            "The scale cannot change once competences of the group have assessments or "
            "requirements."
        )

    def clean_name(self) -> str:
        return str(self.cleaned_data["name"]).strip()


class ScaleCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    preset = forms.ChoiceField(
        label=_("Levels"),
        widget=forms.RadioSelect,
        initial=catalogue_services.NUMERIC,
        choices=[
            (
                catalogue_services.NUMERIC,
                _("Numeric 1-5 (levels 4 and 5 count for coverage, 5 may train others)"),
            ),
            (catalogue_services.EMPTY, _("Empty: I add the levels myself")),
        ],
    )


class ScaleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)


class LevelForm(forms.ModelForm):
    class Meta:
        model = Level
        fields = ["code", "rank", "name", "description", "counts_for_coverage", "may_train"]
        help_texts = {
            "code": _("What the matrix shows, e.g. 3 or B; unique in the scale."),
            "rank": _("The order: a higher rank is a higher level; unique in the scale."),
            "counts_for_coverage": _(
                "People at this level count as covering the competence (like U and O on ILUO)."
            ),
        }


class LevelTextForm(forms.ModelForm):
    class Meta:
        model = Level
        fields = ["name", "description"]
