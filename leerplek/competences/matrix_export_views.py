"""The skills matrix as an XLSX workbook, and the in-place edit of one matrix cell (COMP-04/07)."""

from __future__ import annotations

import io
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from leerplek.competences import selectors, services
from leerplek.competences.forms import MatrixCellForm
from leerplek.competences.matrix_cells import CellRenderer, matrix_filters
from leerplek.competences.models import Competence
from leerplek.core.decorators import get_allowed, requires
from leerplek.core.htmx import is_htmx, vary_on_htmx
from leerplek.core.http import OrganisationHttpRequest
from leerplek.core.xlsx import FORMULA_PREFIXES, XLSX_TYPE
from leerplek.people.models import Employee, OrgUnit

# The colours of competences.css: td.covers, td.gap, td.expired, td.coverage.short and the marks.
GREEN = PatternFill(fill_type="solid", start_color="FFDCFCE7", end_color="FFDCFCE7")
RED = PatternFill(fill_type="solid", start_color="FFFEE2E2", end_color="FFFEE2E2")
GREY = PatternFill(fill_type="solid", start_color="FFF3F4F6", end_color="FFF3F4F6")
SHORT_FONT = Font(bold=True, color="FF991B1B")
EXPIRED_FONT = Font(italic=True, color="FFB91C1C")
EXPIRING_FONT = Font(bold=True, color="FFB45309")
BOLD = Font(bold=True)
# The marks as on the page; a cell holds the level code and, after a space, its marks.
EXPIRED_MARK, EXPIRING_MARK, NOT_RELEASED_MARK = "\u00d7", "\u21bb", "!"
# The quarter-circle symbols as characters, for the legend sheet (0 to 4 quarters).
SYMBOLS = ["\u25cb", "\u25d4", "\u25d1", "\u25d5", "\u25cf"]


# --- Export --------------------------------------------------------------------------------------


def _text(cell: Any) -> None:
    """Text from users is never a live formula (formula injection)."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"


def _value(matrix_cell: selectors.Cell) -> str | None:
    marks = ""
    if matrix_cell.expired:
        marks += EXPIRED_MARK
    elif matrix_cell.expiring:
        marks += EXPIRING_MARK
    if matrix_cell.not_released:
        marks += NOT_RELEASED_MARK
    if not marks:
        return matrix_cell.code or None
    return f"{matrix_cell.code} {marks}".strip()


def _legend(book: Workbook, matrix: selectors.Matrix) -> None:
    """A second sheet that explains symbols, colours and marks, coloured as the first."""
    sheet = book.create_sheet(_("Legend")[:31])
    for scale in matrix.scales:
        sheet.append([_("Levels (%(name)s)") % {"name": scale.name}])
        sheet[sheet.max_row][0].font = BOLD
        for level in scale.levels:
            sheet.append([SYMBOLS[level.quarters], level.code, level.name])
        sheet.append([])
    sheet.append([_("Marks")])
    sheet[sheet.max_row][0].font = BOLD
    marks: list[tuple[str, str, PatternFill | None, Font | None]] = [
        ("", _("counts for coverage (U or higher, valid)"), GREEN, None),
        ("", _("below the required level"), RED, None),
        (
            EXPIRED_MARK,
            _("expired: re-qualification due, does not count for coverage"),
            GREY,
            EXPIRED_FONT,
        ),
        (
            EXPIRING_MARK,
            _("expires within %(days)s days") % {"days": selectors.expiry_warning_days()},
            None,
            EXPIRING_FONT,
        ),
        (NOT_RELEASED_MARK, _("not released to work alone at the workstation"), None, None),
        ("(U)", _("desirable level"), None, None),
    ]
    for mark, text, fill, font in marks:
        sheet.append([mark, None, text])
        line = sheet[sheet.max_row]
        if fill is not None:
            line[0].fill = fill
        if font is not None:
            line[0].font = font
    for line in sheet.iter_rows():
        for cell in line:
            _text(cell)
    sheet.column_dimensions["A"].width = 8
    sheet.column_dimensions["B"].width = 8
    sheet.column_dimensions["C"].width = 60


def matrix_workbook(matrix: selectors.Matrix) -> bytes:
    """A sheet with a header row, the required levels, one row per person with the level codes
    and marks coloured as on the page, the coverage against the ideal number (and the people
    who can teach it, "O n/m", where the requirements ask for them) and the
    polyvalence; a second sheet with the legend."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Skills matrix")[:31]
    codes = [column.competence.code for column in matrix.columns]
    sheet.append([_("Person"), *codes, _("Polyvalence")])
    for cell in sheet[1]:
        cell.font = BOLD
        _text(cell)
    # A column can be required at different levels by different functions: list each once;
    # a level that is only desirable in brackets.
    required: list[list[str]] = [[] for _column in matrix.columns]
    for row in matrix.rows:
        for index, matrix_cell in enumerate(row.cells):
            if matrix_cell.required:
                mark = matrix_cell.required
                if not matrix_cell.mandatory:
                    mark = f"({mark})"
                if mark not in required[index]:
                    required[index].append(mark)
    sheet.append([_("Required level"), *("/".join(codes) for codes in required), None])
    for cell in sheet[2]:
        cell.font = BOLD
        _text(cell)
    for row in matrix.rows:
        name = f"{row.employee.last_name}, {row.employee.first_name}"
        sheet.append([name, *(_value(c) for c in row.cells), row.polyvalence / 100])
        line = sheet[sheet.max_row]
        _text(line[0])
        for matrix_cell, cell in zip(row.cells, line[1:-1], strict=True):
            _text(cell)
            if not matrix_cell.meets:
                cell.fill = RED
            elif matrix_cell.covers:
                cell.fill = GREEN
            elif matrix_cell.expired:
                cell.fill = GREY
            if matrix_cell.expired:
                cell.font = EXPIRED_FONT
            elif matrix_cell.expiring:
                cell.font = EXPIRING_FONT
        line[-1].number_format = "0%"
    sheet.append(
        [
            _("Coverage / ideal"),
            *(
                f"{column.coverage}/{column.ideal}"
                + (f" O {column.trainers}/{column.ideal_trainers}" if column.ideal_trainers else "")
                for column in matrix.columns
            ),
            None,
        ]
    )
    footer = sheet[sheet.max_row]
    footer[0].font = BOLD
    for column, cell in zip(matrix.columns, footer[1:-1], strict=True):
        if column.short or column.short_of_trainers:
            cell.fill, cell.font = RED, SHORT_FONT
    sheet.freeze_panes = "B2"
    longest = max([len(_("Person")), *(len(str(r[0].value or "")) for r in sheet.iter_rows())])
    sheet.column_dimensions["A"].width = min(longest + 2, 60)
    for index, code in enumerate(codes, start=2):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(len(code) + 2, 6), 40)
    sheet.column_dimensions[get_column_letter(len(codes) + 2)].width = len(_("Polyvalence")) + 2
    _legend(book, matrix)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@requires("competences.view_matrix")
def matrix_export(request: OrganisationHttpRequest) -> HttpResponse:
    unit_id = request.GET.get("unit")
    if not unit_id:
        choices = selectors.matrix_unit_choices(
            organisation=request.organisation, access=request.access
        )
        if not choices:
            return redirect("competences:matrix")
        unit_id = str(choices[0][0])
    if not unit_id.isdigit():
        raise Http404
    unit = get_allowed(request, OrgUnit.objects.all(), "competences.view_matrix", pk=unit_id)
    filters = matrix_filters(request.GET, request.organisation)
    data = selectors.matrix_for_unit(unit=unit, access=request.access, filters=filters)
    response = HttpResponse(matrix_workbook(data), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="skills-matrix-{unit.pk}.xlsx"'
    return response


# --- In-place cell edit --------------------------------------------------------------------------


def _add_errors(form: MatrixCellForm, error: ValidationError) -> None:
    """Put a service error next to its field; fields the small form lacks go on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, ValidationError(errors))


def _assessor(request: OrganisationHttpRequest) -> Employee | None:
    """The user's own person record is the assessor; the service refuses a user without one."""
    employee_id = request.access.employee_id
    return None if employee_id is None else Employee.objects.filter(pk=employee_id).first()


@require_http_methods(["GET", "POST"])
@requires("competences.assess_employee")
def matrix_cell(
    request: OrganisationHttpRequest, employee_id: int, competence_id: int
) -> HttpResponse:
    employee = get_allowed(
        request,
        Employee.objects.select_related("unit", "job", "workstation", "organisation"),
        "competences.assess_employee",
        pk=employee_id,
    )
    competence = get_object_or_404(
        Competence, organisation=request.organisation, pk=competence_id, is_active=True
    )
    if request.method == "GET" and not is_htmx(request):
        # Without JavaScript the full assessment form does the same job.
        url = reverse("competences:assessment-create", kwargs={"employee_id": employee.pk})
        return vary_on_htmx(redirect(f"{url}?competence={competence.pk}"))
    scale = services.scale_for(competence)
    form = MatrixCellForm(
        request.POST if request.method == "POST" else None,
        scale=scale,
        auto_id=f"cell-{employee.pk}-{competence.pk}-%s",
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_record(
                employee=employee,
                competence=competence,
                by=request.user,
                assessor=_assessor(request),
                **form.cleaned_data,
            )
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied:
            form.add_error(None, services.ERRORS["assessor_scope"] % {"name": request.user})
        else:
            # The page's filters come along (hx-vals on the table): same cell, same markup.
            filters = matrix_filters(request.POST, request.organisation)
            cell = selectors.matrix_cell(employee=employee, competence=competence, filters=filters)
            return vary_on_htmx(
                render(
                    request,
                    "competences/partials/matrix_cell.html",
                    {"cell_html": mark_safe(CellRenderer()(cell))},  # noqa: S308
                )
            )
    # What the cell holds now, with the dates the compact cell leaves out.
    params = request.POST if request.method == "POST" else request.GET
    now = selectors.matrix_cell(
        employee=employee,
        competence=competence,
        filters=matrix_filters(params, request.organisation),
    )
    context: dict[str, Any] = {
        "form": form,
        "employee": employee,
        "competence": competence,
        "now": now,
    }
    status = 422 if form.is_bound and form.errors else 200
    return vary_on_htmx(
        render(request, "competences/partials/matrix_cell_form.html", context, status=status)
    )


urlpatterns = [
    path("matrix/export/", matrix_export, name="matrix-export"),
    path(
        "matrix/people/<int:employee_id>/competences/<int:competence_id>/",
        matrix_cell,
        name="matrix-cell",
    ),
]
