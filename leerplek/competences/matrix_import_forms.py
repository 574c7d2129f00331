"""Forms of the matrix import: the upload, and the mapping of the sheet's rows and columns."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl.utils import get_column_letter

from leerplek.competences.matrix_import import (
    Grid,
    IdentifyBy,
    LevelStyle,
    Mapping,
    default_columns,
    header_of,
    header_rows,
)
from leerplek.competences.models import AssessmentMethod
from leerplek.people.forms import DateInput
from leerplek.people.import_forms import ImportUploadForm
from leerplek.people.models import Employee, Organisation


class MatrixUploadForm(ImportUploadForm):
    """The file only: a matrix import has no kind to choose."""

    kind = None  # type: ignore[assignment]
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "An Excel workbook (.xlsx) or CSV file: one row per person, one column per skill, "
            "the levels in the cells."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        forms.Form.__init__(self, *args, **kwargs)


def _column_label(index: int, text: str) -> str:
    return f"{get_column_letter(index + 1)}: {text}" if text else get_column_letter(index + 1)


class MatrixMappingForm(forms.Form):
    header_row = forms.TypedChoiceField(
        label=_("Row with the skill names"),
        coerce=int,
        choices=[],
        help_text=_("After changing it, the columns below are set to their defaults again."),
    )
    person_column = forms.TypedChoiceField(label=_("Column with the person"), coerce=int)
    identify_by = forms.ChoiceField(
        label=_("The person column holds"), choices=IdentifyBy.choices, widget=forms.RadioSelect
    )
    skill_columns = forms.TypedMultipleChoiceField(
        label=_("Columns with skills"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "matrix-import-columns"}),
        help_text=_('Untick columns that are no skill, such as "Team" or "Remarks".'),
    )
    levels = forms.ChoiceField(
        label=_("Levels are written as"), choices=LevelStyle.choices, widget=forms.RadioSelect
    )
    create_missing = forms.BooleanField(
        label=_("Create unknown skills as new competences"),
        required=False,
        help_text=_("Otherwise a skill that is not in the catalogue is listed as a problem."),
    )
    assessed_on = forms.DateField(label=_("Assessment date"), widget=DateInput())
    method = forms.ChoiceField(
        label=_("Method"),
        choices=[c for c in AssessmentMethod.choices if c[0] != AssessmentMethod.SELF_ASSESSMENT],
    )
    assessor = forms.ModelChoiceField(queryset=Employee.objects.none(), label=_("Assessor"))

    def __init__(
        self,
        *args: Any,
        grid: Grid,
        mapping: Mapping,
        organisation: Organisation,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault(
            "initial",
            {
                "header_row": mapping.header_row,
                "person_column": mapping.person_column,
                "identify_by": mapping.identify_by,
                "skill_columns": mapping.skill_columns,
                "levels": mapping.levels,
                "create_missing": mapping.create_missing,
                "assessed_on": mapping.assessed_on,
                "method": mapping.method,
                "assessor": mapping.assessor_id,
            },
        )
        super().__init__(*args, **kwargs)
        self.grid = grid
        self.mapping = mapping
        self.fields["header_row"].choices = [  # type: ignore[attr-defined]
            (number, f"{number}: {text}") for number, text in header_rows(grid)
        ]
        header = header_of(grid, mapping.header_row)
        columns = [(index, _column_label(index, text)) for index, text in enumerate(header)]
        self.fields["person_column"].choices = columns  # type: ignore[attr-defined]
        # The person column is no skill; after another person column is posted it is dropped.
        self.fields["skill_columns"].choices = [  # type: ignore[attr-defined]
            (index, label)
            for index, label in columns
            if header[index] and (index != mapping.person_column or self.is_bound)
        ]
        self.fields["assessor"].queryset = (  # type: ignore[attr-defined]
            Employee.objects.filter(organisation=organisation)
            .active()
            .order_by("last_name", "first_name")
        )

    def clean_assessed_on(self) -> Any:
        day = self.cleaned_data["assessed_on"]
        today = timezone.localdate()
        if day > today:
            raise ValidationError(
                _("The assessment date cannot be in the future; today is %(today)s."),
                code="future_date",
                params={"today": today},
            )
        return day

    def full_clean(self) -> None:
        # Columns of another header row than the one shown: accept any index of the sheet.
        if self.is_bound:
            try:
                posted = int(self.data.get("header_row", self.mapping.header_row))
            except (TypeError, ValueError):
                posted = self.mapping.header_row
            if posted != self.mapping.header_row:
                width = max((len(cells) for _number, cells in self.grid), default=0)
                every = [(index, str(index)) for index in range(width)]
                self.fields["person_column"].choices = every  # type: ignore[attr-defined]
                self.fields["skill_columns"].choices = every  # type: ignore[attr-defined]
        super().full_clean()

    def to_mapping(self) -> Mapping:
        data = self.cleaned_data
        header_row = data["header_row"]
        person, skills = data["person_column"], data["skill_columns"]
        identify_by, levels = data["identify_by"], data["levels"]
        if header_row != self.mapping.header_row:
            # A new header row makes the old column choices meaningless: take the defaults.
            person, skills = default_columns(self.grid, header_row)
        return Mapping(
            header_row=header_row,
            person_column=person,
            identify_by=identify_by,
            skill_columns=[index for index in skills if index != person],
            levels=levels,
            assessed_on=data["assessed_on"],
            method=data["method"],
            assessor_id=data["assessor"].pk,
            create_missing=data["create_missing"],
        )
