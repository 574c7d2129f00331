"""Input shapes for the organisation and people pages. Business rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from leerplek.core.forms import FastSelect
from leerplek.people.models import (
    AssignmentReason,
    Employee,
    Job,
    Organisation,
    OrgUnit,
    PersonType,
    TaskKind,
    Workstation,
)
from leerplek.people.selectors import unit_choices
from leerplek.people.services import TaskLine


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class OrganisationScopedForm(forms.ModelForm):
    """Limit every related-object choice to the current organisation."""

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        for field in self.fields.values():
            if isinstance(field, forms.ChoiceField) and not isinstance(
                field, forms.MultipleChoiceField
            ):
                field.widget = FastSelect(attrs=field.widget.attrs, choices=field.widget.choices)
            if isinstance(field, forms.ModelChoiceField):
                model = field.queryset.model  # type: ignore[union-attr]
                field.queryset = model.objects.filter(organisation=organisation)
        if "unit" in self.fields:
            self._indent_units("unit")
        if "parent" in self.fields:
            self._indent_units("parent")

    def _indent_units(self, name: str) -> None:
        field = self.fields[name]
        labels = dict(unit_choices(organisation=self.organisation))
        field.label_from_instance = lambda unit: labels.get(unit.pk, unit.name)  # type: ignore[attr-defined]


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "enterprise_number",
            "sector",
            "joint_committee",
            "training_fund",
            "training_fund_agreements",
            "is_sme",
            "financial_year_end",
        ]
        widgets = {"training_fund_agreements": forms.Textarea(attrs={"rows": 3})}


class UnitForm(OrganisationScopedForm):
    class Meta:
        model = OrgUnit
        fields = ["name", "code", "kind", "parent", "leader", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        leader = self.fields["leader"]
        leader.queryset = leader.queryset.active()  # type: ignore[attr-defined]
        if self.instance.pk:
            # A unit cannot move under itself or its own sub-units; hide those choices.
            parent = self.fields["parent"]
            parent.queryset = parent.queryset.exclude(  # type: ignore[attr-defined]
                path__startswith=self.instance.path
            )


class JobForm(OrganisationScopedForm):
    tasks = forms.CharField(
        label=_("Tasks"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One task per line, starting with its kind: executive, preparatory or supporting. "
            "Example: “executive: Fill the sauce kettle”."
        ),
    )

    error_messages = {
        "task_kind": _(
            "Line %(line)s: start with executive, preparatory or supporting, then a colon."
        ),
    }

    class Meta:
        model = Job
        fields = [
            "code",
            "name",
            "description",
            "classification",
            "classification_committee",
            "classification_date",
            "months_to_independence",
            "tandem_days",
            "review_interval_days",
            "is_active",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "classification_date": DateInput(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["tasks"] = "\n".join(
                # In the user's language, as the help text shows them.
                f"{str(task.get_kind_display()).lower()}: {task.description}"
                for task in self.instance.tasks.all()
            )

    def clean_tasks(self) -> list[TaskLine]:
        kinds = {str(label).lower(): value for value, label in TaskKind.choices}
        kinds.update({value: value for value in TaskKind.values})
        lines: list[TaskLine] = []
        for number, raw in enumerate(self.cleaned_data["tasks"].splitlines(), start=1):
            if not raw.strip():
                continue
            kind, sep, text = raw.partition(":")
            kind_value = kinds.get(kind.strip().lower())
            if not sep or kind_value is None or not text.strip():
                raise forms.ValidationError(
                    self.error_messages["task_kind"], code="task_kind", params={"line": number}
                )
            lines.append(TaskLine(kind=kind_value, description=text.strip()[:300]))
        return lines


class WorkstationForm(OrganisationScopedForm):
    class Meta:
        model = Workstation
        fields = ["code", "name", "unit", "is_machine", "difficulty_rank", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class EmployeeForm(OrganisationScopedForm):
    class Meta:
        model = Employee
        fields = [
            "first_name",
            "last_name",
            "employee_number",
            "email",
            "phone",
            "person_type",
            "gender",
            "birth_date",
            "hire_date",
            "unit",
            "manager",
            "workstation",
            "experience_years",
            "languages",
            "dutch_level",
            "education_level",
            "planned_exit_date",
            "exit_date",
            "exit_reason",
            "career_note",
        ]
        widgets = {
            "birth_date": DateInput(),
            "hire_date": DateInput(),
            "exit_date": DateInput(),
            "planned_exit_date": DateInput(),
            "career_note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        manager = self.fields["manager"]
        manager.queryset = manager.queryset.active()  # type: ignore[attr-defined]
        if self.instance.pk:
            manager.queryset = manager.queryset.exclude(pk=self.instance.pk)  # type: ignore[attr-defined]


class EmployeeCreateForm(EmployeeForm):
    job = forms.ModelChoiceField(
        label=pgettext_lazy("job", "Function"), queryset=Job.objects.none(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["job"].queryset = Job.objects.filter(  # type: ignore[attr-defined]
            organisation=self.organisation, is_active=True
        )


class AssignJobForm(forms.Form):
    job = forms.ModelChoiceField(
        label=pgettext_lazy("job", "New function"), queryset=Job.objects.none()
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=OrgUnit.objects.none(),
        required=False,
        help_text=_("Leave empty to keep the current unit."),
    )
    start_date = forms.DateField(label=_("From"), widget=DateInput())
    reason = forms.ChoiceField(label=_("Reason"), choices=AssignmentReason.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["job"].queryset = Job.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation, is_active=True
        )
        self.fields["unit"].queryset = OrgUnit.objects.filter(organisation=organisation)  # type: ignore[attr-defined]
        labels = dict(unit_choices(organisation=organisation))
        self.fields["unit"].label_from_instance = lambda unit: labels.get(unit.pk, unit.name)  # type: ignore[attr-defined]


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    unit = forms.ModelChoiceField(
        label=_("Unit (with sub-units)"), queryset=OrgUnit.objects.none(), required=False
    )
    type = forms.ChoiceField(
        label=_("Person type"), required=False, choices=[("", _("All types")), *PersonType.choices]
    )
    job = forms.ModelChoiceField(
        label=pgettext_lazy("job", "Function"), queryset=Job.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("active", _("Active")), ("left", _("Left")), ("all", _("All"))],
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.filter(organisation=organisation)  # type: ignore[attr-defined]
        labels = dict(unit_choices(organisation=organisation))
        self.fields["unit"].label_from_instance = lambda unit: labels.get(unit.pk, unit.name)  # type: ignore[attr-defined]
        self.fields["unit"].empty_label = _("All units")  # type: ignore[attr-defined]
        self.fields["job"].queryset = Job.objects.filter(organisation=organisation)  # type: ignore[attr-defined]
        self.fields["job"].empty_label = _("All functions")  # type: ignore[attr-defined]
        for field in self.fields.values():
            if isinstance(field, forms.ChoiceField):
                field.widget = FastSelect(choices=field.widget.choices)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
