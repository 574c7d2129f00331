"""Forms of the activities area: the XLSX upload and an extra registration field. They check the
shape of the input; the services and the import keep the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from leerplek.registration.models import ExtraField, ExtraFieldKind


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook"),
        help_text=_(
            "An Excel workbook (.xlsx) with the columns of the template, one row per participant."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class ExtraFieldForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=100)
    key = forms.CharField(
        label=_("Key"),
        max_length=40,
        required=False,
        help_text=_(
            "How the field is named in imports and exports, e.g. budget_code; made from the "
            "label when empty. It cannot change later."
        ),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ExtraFieldKind.choices)
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For a choice from a list: one choice per line."),
    )
    required = forms.BooleanField(label=_("Required"), required=False)
    position = forms.IntegerField(
        label=_("Position in the form"),
        min_value=0,
        max_value=32767,
        initial=0,
        help_text=_("Fields with a lower number come first."),
    )

    def __init__(self, *args: Any, field: ExtraField | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if field is not None:
            # Key and kind name and shape the values already entered: they stay as they are.
            for name in ("key", "kind"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Fixed once the field exists.")

    @classmethod
    def initial_of(cls, field: ExtraField) -> dict[str, Any]:
        return {name: getattr(field, name) for name in cls.base_fields}
