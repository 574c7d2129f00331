"""The HTML of the skills matrix's rows and cells: the one source for the page and the htmx update.

Written in Python, not through template includes or loops: a 500 x 300 matrix has 150,000 cells.
A cell is small on purpose: its classes carry the symbol (q0-q4: quarters of the circle, drawn by
CSS), coverage (cv), a gap (gap), an expired (exp) or expiring (soon) assessment and a person not
released at his workstation (nr), the marks drawn by CSS too; its text is the level code, the
required level a <sup> (class d when only desirable). Who and what a cell is about comes from its
row (`data-e`, the person) and its column header (`data-c`, the competence), so the cell repeats
neither; matrix.js builds the in-place edit's URL from them. A blank cell, never assessed and not
required, is `<td></td>`. Everything from users is escaped here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from html import escape
from typing import Any

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from leerplek.competences.selectors import Cell, Matrix, MatrixColumn, MatrixFilters
from leerplek.people.models import Employee, Organisation, Workstation

_EMPLOYEE, _COMPETENCE = 900000001, 900000002
BLANK = "<td></td>"


def cell_url_template() -> str:
    """The in-place edit's URL with {e} for the person and {c} for the competence (matrix.js)."""
    url = reverse(
        "competences:matrix-cell",
        kwargs={"employee_id": _EMPLOYEE, "competence_id": _COMPETENCE},
    )
    return url.replace(str(_EMPLOYEE), "{e}").replace(str(_COMPETENCE), "{c}")


class CellRenderer:
    """Draws cells and rows; build one per response (translated words are looked up once and
    the few distinct cells of a matrix are drawn once each)."""

    def __init__(self) -> None:
        self._expired = gettext("expired on %(date)s")
        self._expiring = gettext("expires on %(date)s")
        self._not_assessed = escape(gettext("not assessed"))
        self._cells: dict[tuple[Any, ...], str] = {}
        self.editable = False  # after rows(): whether the viewer may change any row

    def _draw(self, cell: Cell) -> str:
        classes = []
        text = ""
        if cell.code:
            classes.append(f"q{cell.quarters}")
            text = escape(cell.code)
        if cell.covers:
            classes.append("cv")
        if not cell.meets:
            classes.append("gap")
        title = ""
        if cell.expired:
            classes.append("exp")
            title = self._expired % {"date": f"{cell.expires_on:%d/%m/%Y}"}
        elif cell.expiring:
            classes.append("soon")
            title = self._expiring % {"date": f"{cell.expires_on:%d/%m/%Y}"}
        if cell.not_released:
            classes.append("nr")
        if cell.required:
            if not cell.code:
                # Rare: required but never assessed; say so, the raised code alone would read
                # as a level.
                classes.append("na")
                text = f'<span class="visually-hidden">{self._not_assessed}</span>'
            desirable = "" if cell.mandatory else ' class="d"'
            text += f"<sup{desirable}>{escape(cell.required)}</sup>"
        attributes = f' class="{" ".join(classes)}"' if classes else ""
        if title:
            attributes += f' title="{escape(title)}"'
        return f"<td{attributes}>{text}</td>"

    def __call__(self, cell: Cell) -> str:
        """One cell; the htmx update returns exactly what the page shows."""
        expiry = cell.expires_on if cell.expired or cell.expiring else None
        key = (
            cell.code,
            cell.quarters,
            cell.required,
            cell.mandatory,
            cell.covers,
            cell.meets,
            cell.expired,
            cell.expiring,
            cell.not_released,
            expiry,
        )
        html = self._cells.get(key)
        if html is None:
            html = self._cells[key] = self._draw(cell)
        return html

    def head(self, matrix: Matrix) -> SafeString:
        """The column headers: each competence's code, linked to it, its name as title and its
        id for matrix.js."""
        url = reverse("competences:competence-detail", kwargs={"competence_id": _COMPETENCE})
        before, after = url.split(str(_COMPETENCE))
        return mark_safe(  # noqa: S308 - escaped here
            "".join(
                f'<th scope="col" title="{escape(c.name)}" data-c="{c.pk}">'
                f'<a href="{before}{c.pk}{after}">{escape(c.code)}</a></th>'
                for c in (column.competence for column in matrix.columns)
            )
        )

    def foot(self, matrix: Matrix) -> SafeString:
        """The coverage per competence against its ideal number, red where short; where the
        requirements ask for people who can teach it, a second line "O 1/2" with those."""
        title = gettext("%(n)s at U or higher, ideal %(ideal)s")
        teach = gettext("%(n)s who can teach it (O), ideal %(ideal)s")

        def trainers(column: MatrixColumn) -> str:
            if not column.ideal_trainers:
                return ""
            text = teach % {"n": column.trainers, "ideal": column.ideal_trainers}
            return (
                f'<br><span class="trainers{" short" if column.short_of_trainers else ""}" '
                f'title="{escape(text)}">O {column.trainers}/{column.ideal_trainers}</span>'
            )

        return mark_safe(  # noqa: S308 - numbers and a translated text, escaped
            "".join(
                f'<td class="coverage{" short" if column.short else ""}" title="'
                f'{escape(title % {"n": column.coverage, "ideal": column.ideal})}">'
                f"{column.coverage}/{column.ideal}{trainers(column)}</td>"
                for column in matrix.columns
            )
        )

    def rows(self, matrix: Matrix, can_assess: Callable[[Employee], bool]) -> SafeString:
        """The table body: per person his name (a link to his competences, where the full
        assessment form is), the cells and the polyvalence. A row the viewer may assess carries
        the person's id for the in-place edit."""
        person_url = reverse("competences:employee-competences", kwargs={"employee_id": _EMPLOYEE})
        before, after = person_url.split(str(_EMPLOYEE))
        label = escape(gettext("Not released to work alone at his workstation"))
        not_released = (
            f' <span class="mark not-released" role="img" aria-label="{label}" '
            f'title="{label}">!</span>'
        )
        width = len(matrix.columns)
        draw = self.__call__
        jobs: dict[Any, str] = {}
        out = []
        for row in matrix.rows:
            person = row.employee
            pk = person.pk
            job = jobs.get(person.job_id)
            if job is None:
                job = jobs[person.job_id] = escape(str(person.job or ""))
            cells = [BLANK] * width
            for index, cell in row.filled.items():
                cells[index] = draw(cell)
            if can_assess(person):
                self.editable = True
                out.append(f'<tr data-e="{pk}">')
            else:
                out.append("<tr>")
            out.append(
                f'<th scope="row" class="person"><a href="{before}{pk}{after}">'
                f"{escape(person.last_name)}, {escape(person.first_name)}</a>"
                f"{not_released if row.not_released else ''}"
                f'<br><small class="muted">{job}</small></th>'
            )
            out.append("".join(cells))
            out.append(f'<td class="numeric">{row.polyvalence} %</td></tr>\n')
        return mark_safe("".join(out))  # noqa: S308 - escaped above


# --- Filters from GET parameters -----------------------------------------------------------------

_YES = {"on", "1", "true", "yes"}


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def matrix_filters(params: Mapping[str, str], organisation: Organisation) -> MatrixFilters:
    """The matrix filters of a page, export or cell request (at most one query). A workstation
    of another organisation or a malformed number is ignored, as the page's form refuses it."""
    station_id = _number(params.get("workstation"))
    station = None
    if station_id is not None:
        station = Workstation.objects.filter(organisation=organisation, pk=station_id).first()
    return MatrixFilters(
        workstation=station,
        group_id=_number(params.get("group")),
        required_only=str(params.get("required", "")).lower() in _YES,
        gaps_only=str(params.get("gaps", "")).lower() in _YES,
    )


def matrix_cell_values(filters: MatrixFilters) -> str:
    """The filters a cell edit must repeat to draw its cell as the page does (for hx-vals)."""
    values: dict[str, str] = {}
    if filters.workstation is not None:
        values["workstation"] = str(filters.workstation.pk)
    if filters.required_only:
        values["required"] = "on"
    return json.dumps(values) if values else ""
