"""Input shapes for the certificate register. Business rules live in services_certificates."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from leerplek.core.access import Access
from leerplek.core.forms import FastSelect
from leerplek.core.roles import Role
from leerplek.people.forms import DateInput
from leerplek.people.models import Employee, OrgUnit
from leerplek.training.models import CertificateKind
from leerplek.training.selectors_certificates import EXPIRED, EXPIRING, REVOKED, VALID
from leerplek.training.services_certificates import ERRORS, EXTERNAL_KINDS

STATE_CHOICES = [
    ("", _("All")),
    (VALID, _("Valid")),
    (EXPIRING, _("Expires soon")),
    (EXPIRED, _("Expired")),
    (REVOKED, _("Revoked")),
]


class CertificateFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, title or code"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *CertificateKind.choices]
    )
    state = forms.ChoiceField(label=_("Validity"), required=False, choices=STATE_CHOICES)
    unit = forms.ModelChoiceField(
        label=_("Unit (with sub-units)"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("All units"),
        widget=FastSelect,
    )

    def __init__(self, *args: Any, access: Access, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.filter(  # type: ignore[attr-defined]
            organisation_id=access.organisation_id or 0
        ).order_by("path")


class EmployeeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        unit = obj.unit.name if obj.unit is not None else ""
        return f"{obj.last_name} {obj.first_name}" + (f" ({unit})" if unit else "")


class CertificateForm(forms.Form):
    employee = EmployeeChoiceField(
        label=_("Holder"),
        queryset=Employee.objects.none(),
        widget=FastSelect,
        error_messages={"required": _("Choose whose certificate this is.")},
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (value, label) for value, label in CertificateKind.choices if value in EXTERNAL_KINDS
        ],
        error_messages={
            "required": ERRORS["kind_external"],
            "invalid_choice": ERRORS["kind_external"],
        },
    )
    title = forms.CharField(
        label=_("Title"), max_length=200, error_messages={"required": ERRORS["title_required"]}
    )
    issuer = forms.CharField(
        label=_("Issued by"),
        required=False,
        max_length=200,
        help_text=_("E.g. the school, the training fund or the sector body."),
    )
    issued_on = forms.DateField(
        label=_("Issued on"),
        widget=DateInput(),
        error_messages={
            "required": _("Enter the issue date, e.g. 2025-03-14."),
            "invalid": _("Enter the issue date as a date, e.g. 2025-03-14."),
        },
    )
    expires_on = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty when it does not expire."),
        error_messages={"invalid": _("Enter the expiry date as a date, e.g. 2030-03-14.")},
    )
    file = forms.FileField(
        label=_("Scan or PDF"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp"}),
    )

    def __init__(self, *args: Any, access: Access, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = (  # type: ignore[attr-defined]
            Employee.objects.filter(
                access.employee_scope_q((Role.HR, Role.ADMIN)),
            )
            .active()
            .select_related("unit")
            .order_by("last_name", "first_name")
        )
        self.fields["file"].help_text = _(
            "A PDF or a photo (JPG, PNG or WEBP) of at most %(max)s MB."
        ) % {"max": settings.LEERPLEK.get("EVIDENCE_MAX_MB", 10)}


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        error_messages={"required": ERRORS["reason_required"]},
        help_text=_("The verification page shows 'revoked'; the reason stays in the register."),
    )


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=20,
        help_text=_("The 12 characters printed under the QR code of the attest."),
        error_messages={"required": _("Enter the verification code printed on the attest.")},
    )
