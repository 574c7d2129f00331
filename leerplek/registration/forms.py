"""Forms of the registration core: an activity, a participant, a cost line and the list filters
(the social-balance year forms are in `forms_sb`). Forms check the shape of the input; the
services keep the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from leerplek.core.access import Access
from leerplek.core.forms import FastSelect
from leerplek.people.models import Employee
from leerplek.registration.models import (
    Activity,
    ActivityStatus,
    Category,
    CostKind,
    Exclusion,
    ExtraField,
    ExtraFieldKind,
    InformalKind,
    OrganiserKind,
    ParticipationStatus,
    Place,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        unit = obj.unit.name if obj.unit is not None else ""
        return f"{obj.last_name} {obj.first_name}" + (f" ({unit})" if unit else "")


class ActivityFilterForm(forms.Form):
    q = forms.CharField(label=_("Title or organiser"), required=False, max_length=100)
    year = forms.TypedChoiceField(label=_("Financial year"), required=False, coerce=int)
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All categories")), *Category.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *ActivityStatus.choices]
    )
    counted = forms.ChoiceField(
        label=_("Counts as training"),
        required=False,
        choices=[("", _("All")), ("yes", _("Counts")), ("no", _("Excluded"))],
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years")), *[(y, str(y)) for y in years]]  # type: ignore[attr-defined]


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    category = forms.ChoiceField(
        label=_("Category"),
        choices=Category.choices,
        help_text=_(
            "Formal: a course or training organised by a trainer, away from the work. Less "
            "formal or informal: learning in and from the work. Initial: at least six months, "
            "partly on the shop floor, towards a recognised certificate or diploma."
        ),
    )
    informal_kind = forms.ChoiceField(
        label=_("Kind of informal learning"),
        choices=[("", "—"), *InformalKind.choices],
        required=False,
    )
    organiser_kind = forms.ChoiceField(label=_("Organiser"), choices=OrganiserKind.choices)
    organiser_name = forms.CharField(label=_("Organiser's name"), max_length=200, required=False)
    start_date = forms.DateField(label=_("Start date"), widget=DATE)
    end_date = forms.DateField(label=_("End date"), widget=DATE, required=False)
    duration_hours = forms.DecimalField(
        label=_("Duration in hours"),
        max_digits=7,
        decimal_places=2,
        required=False,
        min_value=0,
        help_text=_("The most working hours one participant can spend on it."),
    )
    place = forms.ChoiceField(label=_("Place"), choices=Place.choices)
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    exclusion = forms.ChoiceField(
        label=_("Counts as training?"),
        choices=Exclusion.choices,
        required=False,
        help_text=_(
            "Brainstorming, information on company policy and onboarding without follow-up "
            "training are kept but never counted."
        ),
    )
    exclusion_note = forms.CharField(
        label=_("Why it does not count"), max_length=300, required=False
    )
    counts_for_right = forms.BooleanField(
        label=_("Counts for the individual training right"), required=False, initial=True
    )
    is_educational_leave = forms.BooleanField(
        label=_("Paid educational leave (BEV)"), required=False
    )
    leads_to_qualification = forms.BooleanField(
        label=_("Leads to a recognised certificate or diploma"), required=False
    )
    partly_on_shop_floor = forms.BooleanField(label=_("Partly on the shop floor"), required=False)
    qualification = forms.CharField(
        label=_("Certificate or diploma"), max_length=200, required=False
    )

    def __init__(self, *args: Any, extra_fields: list[ExtraField] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.extra_fields = list(extra_fields)
        for field in self.extra_fields:
            name = f"extra_{field.key}"
            if field.kind == ExtraFieldKind.NUMBER:
                self.fields[name] = forms.DecimalField(label=field.label, required=False)
            elif field.kind == ExtraFieldKind.DATE:
                self.fields[name] = forms.DateField(label=field.label, required=False, widget=DATE)
            elif field.kind == ExtraFieldKind.CHOICE:
                self.fields[name] = forms.ChoiceField(
                    label=field.label,
                    required=False,
                    choices=[("", "—"), *[(c, c) for c in field.choice_list]],
                )
            elif field.kind == ExtraFieldKind.YES_NO:
                self.fields[name] = forms.BooleanField(label=field.label, required=False)
            else:
                self.fields[name] = forms.CharField(
                    label=field.label, required=False, max_length=500
                )
            if field.required and field.kind != ExtraFieldKind.YES_NO:
                self.fields[name].widget.attrs["aria-required"] = "true"
                self.fields[name].label = f"{field.label} *"

    def values(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """(activity fields, extra field values) for the services."""
        data = dict(self.cleaned_data)
        extra = {field.key: data.pop(f"extra_{field.key}", None) for field in self.extra_fields}
        return data, extra

    @classmethod
    def initial_of(cls, activity: Activity) -> dict[str, Any]:
        fields = list(cls.base_fields)
        initial = {name: getattr(activity, name) for name in fields}
        for key, value in (activity.extra or {}).items():
            initial[f"extra_{key}"] = value
        return initial


class ParticipantForm(forms.Form):
    employee = PersonChoiceField(
        label=_("Person"), queryset=Employee.objects.none(), widget=FastSelect
    )
    hours = forms.DecimalField(
        label=_("Working hours"), max_digits=7, decimal_places=2, min_value=0
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=ParticipationStatus.choices, initial="completed"
    )
    outside_working_hours = forms.DecimalField(
        label=_("Hours outside working time"),
        max_digits=7,
        decimal_places=2,
        min_value=0,
        required=False,
    )
    certificate_obtained = forms.BooleanField(label=_("Certificate obtained"), required=False)

    def __init__(self, *args: Any, access: Access, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = (  # type: ignore[attr-defined]
            Employee.objects.filter(organisation_id=access.organisation_id or 0)
            .select_related("unit")
            .order_by("last_name", "first_name", "id")
        )


class CostLineForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of cost"), choices=CostKind.choices)
    amount = forms.DecimalField(
        label=_("Amount (EUR)"), max_digits=12, decimal_places=2, min_value=0
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    employee = PersonChoiceField(
        label=_("For participant"),
        queryset=Employee.objects.none(),
        required=False,
        empty_label=_("Shared over the participants"),
    )

    def __init__(self, *args: Any, activity: Activity, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = (  # type: ignore[attr-defined]
            Employee.objects.filter(learning_participations__activity=activity)
            .select_related("unit")
            .order_by("last_name", "first_name", "id")
        )
