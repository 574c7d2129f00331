"""Input shapes for the roles pages. The rules (scope, duplicates, last administrator) live in
`core/access_services.py`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from leerplek.core.roles import Role
from leerplek.people.models import Employee, Language, Organisation, OrgUnit, User
from leerplek.people.selectors import unit_choices

# An own person record is what makes an employee, so that role is never granted.
GRANTABLE_ROLES = [(value, label) for value, label in Role.choices if value != Role.EMPLOYEE]


class RoleFilterForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *GRANTABLE_ROLES]
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.last_name}, {obj.first_name} ({obj.user.email})"


class LoginEmailField(forms.ModelChoiceField):
    """A log-in, found by its email address (stored in lower case, typed as people like)."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().lower()
        return super().to_python(value)


class RoleGrantForm(forms.Form):
    """Whom (a person of the register with a log-in, or any log-in by email), which role, where."""

    error_messages = {
        "who_missing": _("Choose a person, or enter the email address of an existing log-in."),
        "who_twice": _("Choose a person or enter an email address, not both."),
        "unknown_email": _(
            "No log-in has this email address. Give the person a log-in from his page in "
            "People first."
        ),
    }

    person = PersonChoiceField(
        label=_("Person"),
        queryset=Employee.objects.none(),
        required=False,
        empty_label=_("Choose a person…"),
        help_text=_("People of the register who have a log-in."),
    )
    email = LoginEmailField(
        label=_("Or the email address of a log-in"),
        queryset=User.objects.all(),
        to_field_name="email",
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        help_text=_("For someone outside the register, e.g. a sector adviser."),
        error_messages={"invalid_choice": error_messages["unknown_email"]},
    )
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("Choose a role…")), *GRANTABLE_ROLES])
    unit = forms.ModelChoiceField(
        label=_("Scope"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("Whole organisation"),
        help_text=_("The role covers this unit and its sub-units. Leave empty for everywhere."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        person.queryset = (  # type: ignore[attr-defined]
            Employee.objects.active()
            .filter(organisation=organisation, user__isnull=False)
            .select_related("user")
            .order_by("last_name", "first_name", "pk")
        )
        unit = self.fields["unit"]
        unit.queryset = OrgUnit.objects.filter(organisation=organisation)  # type: ignore[attr-defined]
        labels = dict(unit_choices(organisation=organisation))
        unit.label_from_instance = lambda obj: labels.get(obj.pk, obj.name)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        person, user = data.get("person"), data.get("email")
        if "email" in self.errors:
            return data
        if person is None and user is None:
            raise forms.ValidationError(self.error_messages["who_missing"], code="who_missing")
        if person is not None and user is not None:
            raise forms.ValidationError(self.error_messages["who_twice"], code="who_twice")
        data["user"] = person.user if person is not None else user
        return data


class AccountForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_(
            "The person logs in with this address. If a log-in with this address exists already, "
            "it is linked to this person and keeps its password."
        ),
    )
    language = forms.ChoiceField(
        label=_("Interface language"), choices=Language.choices, initial=Language.DUTCH
    )
