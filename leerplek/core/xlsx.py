"""Write simple workbooks that open cleanly in Excel and LibreOffice."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_PREFIXES = ("=", "+", "-", "@")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]


def cell_value(value: Any) -> Any:
    """Numbers (Decimal included) and dates stay typed; everything else becomes text."""
    if value is None or isinstance(value, int | float | Decimal | datetime.date):
        return value
    return str(value)


def build_workbook(sheets: Iterable[Sheet]) -> bytes:
    """Bold, frozen header row; column widths fitted to the content (capped)."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for sheet in sheets:
        ws = book.create_sheet(title=sheet.title[:31])
        ws.append([str(header) for header in sheet.headers])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        widths = [len(str(header)) for header in sheet.headers]
        for row in sheet.rows:
            values = [cell_value(value) for value in row]
            ws.append(values)
            for index, value in enumerate(values):
                if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
                    # Text from users is never a live formula (CSV/formula injection).
                    ws.cell(row=ws.max_row, column=index + 1).data_type = "s"
                if index < len(widths):
                    widths[index] = max(widths[index], len(str(value or "")))
        ws.freeze_panes = "A2"
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def workbook_response(sheets: Iterable[Sheet], filename: str) -> HttpResponse:
    response = HttpResponse(build_workbook(sheets), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
