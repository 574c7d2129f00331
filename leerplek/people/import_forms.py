"""The upload form of the import (shape only; the file's content is checked in `imports`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from leerplek.people.imports import COLUMNS, MAX_UPLOAD_MB, file_format
from leerplek.people.models import ImportKind


class ImportUploadForm(forms.Form):
    error_messages = {
        "file_type": _(
            "Choose an Excel workbook (.xlsx) or a CSV file (.csv). An older .xls file: open it "
            "in Excel and save it as .xlsx first."
        ),
        "file_too_big": _("The file is larger than %(max)s MB. Split it into smaller files."),
    }

    kind = forms.ChoiceField(label=_("The file contains"), choices=[])
    file = forms.FileField(
        label=_("File"),
        help_text=_("An Excel workbook (.xlsx) or CSV file with the columns of the template."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only kinds with a column table import here (apps register theirs in imports.COLUMNS).
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in ImportKind.choices if value in COLUMNS
        ]

    def clean_file(self) -> Any:
        upload: UploadedFile = self.cleaned_data["file"]
        if file_format(upload.name or "") is None:
            raise ValidationError(self.error_messages["file_type"], code="file_type")
        if (upload.size or 0) > MAX_UPLOAD_MB * 1024 * 1024:
            raise ValidationError(
                self.error_messages["file_too_big"],
                code="file_too_big",
                params={"max": MAX_UPLOAD_MB},
            )
        return upload
