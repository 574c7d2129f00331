"""Input shapes for transfer plans. The rules (scope, dates, tandem) live in transfer_services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from leerplek.competences.models import Competence, TransferMethod, TransferStatus
from leerplek.people.forms import DateInput
from leerplek.people.models import Employee, Organisation


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        unit = f" ({obj.unit})" if obj.unit else ""
        return f"{obj.last_name}, {obj.first_name}{unit}"


class TransferPlanForm(forms.Form):
    competence = forms.ModelChoiceField(queryset=Competence.objects.none(), label=_("Competence"))
    method = forms.ChoiceField(
        label=_("How is the knowledge passed on?"),
        choices=TransferMethod.choices,
        widget=forms.RadioSelect,
    )
    holder = PersonChoiceField(
        queryset=Employee.objects.none(),
        label=_("Experienced holder"),
        required=False,
        help_text=_("The person whose knowledge is at risk, who writes or teaches."),
    )
    successor = PersonChoiceField(
        queryset=Employee.objects.none(),
        label=_("Successor"),
        required=False,
        help_text=_("Needed for a tandem: the person who learns it."),
    )
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, *args: Any, organisation: Organisation, people: QuerySet[Employee], **kw: Any
    ):
        super().__init__(*args, **kw)
        self.fields["competence"].queryset = Competence.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation, is_active=True
        ).order_by("code")
        self.fields["holder"].queryset = people  # type: ignore[attr-defined]
        self.fields["successor"].queryset = people  # type: ignore[attr-defined]


STATUS_FILTERS = [
    ("open", _("Open (planned or in progress)")),
    *TransferStatus.choices,
    ("all", _("All statuses")),
]


class TransferFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_FILTERS)
    overdue = forms.BooleanField(label=_("Only overdue plans"), required=False)


class TransferStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=TransferStatus.choices)
    back = forms.CharField(required=False, max_length=500)  # the list's filter, to return to it
