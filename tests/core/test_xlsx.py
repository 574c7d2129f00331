"""Workbooks that Leerplek writes keep user text as text and numbers as numbers."""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook

from leerplek.core.xlsx import Sheet, build_workbook


def test_text_that_looks_like_a_formula_stays_text() -> None:
    data = build_workbook(
        [Sheet("S", ["a", "b", "c"], [["=1+1", Decimal("7.50"), datetime.date(2026, 1, 5)]])]
    )
    sheet = load_workbook(BytesIO(data))["S"]
    cell = sheet["A2"]
    assert cell.data_type == "s"
    assert cell.value == "=1+1"
    assert sheet["B2"].value == 7.5
    assert sheet["C2"].value.date() == datetime.date(2026, 1, 5)
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
