"""Pages of the social balance's training section (REG-03, REG-06), for HR and the accountant:
docs/registration-social-balance.md.

- `registration:social-balance` (`?year=`): the worksheet laid out like the official section,
  three blocks (formal, less formal or informal, initial) with codes, men, women and total; each
  figure opens the records behind it for whoever holds `registration.view_sb_records` (the
  works council sees the figures only); the notes say what was left out; HR closes and reopens
  the year and enters the staff cost per gender.
- `registration:sb-records` (year, code): the participations or cost lines behind one figure.
- `registration:sb-export` (year, fmt): PDF worksheet, XLSX, CSV and JSON keyed by code.
- `registration:year-close`, `-reopen`, `-staff-costs` (year): the year's writes (POST).
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from leerplek.core.decorators import requires
from leerplek.core.http import OrganisationHttpRequest
from leerplek.core.xlsx import XLSX_TYPE
from leerplek.registration import selectors_sb, services_sb
from leerplek.registration.forms_sb import ReopenForm, StaffCostForm
from leerplek.registration.models import FinancialYear
from leerplek.training.forms_leittext import put_errors

VIEW_SB = "registration.view_social_balance"
SB_RECORDS = "registration.view_sb_records"
CLOSE = "registration.close_years"
STYLESHEETS = ("registration/registration.css", "registration/sb.css")
FIRST_YEAR, LAST_YEAR = 1990, 2200
EXPORT_FORMATS = ("pdf", "xlsx", "csv", "json")


def checked_year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return year


def year_param(request: HttpRequest, default: int) -> int:
    try:
        year = int(request.GET.get("year") or default)
    except ValueError:
        raise Http404 from None
    return checked_year(year)


class Shown:
    """What a page or export shows for a year: the live figures of an open year, the frozen ones
    of a closed year (with the codes whose live value now differs)."""

    def __init__(self, request: OrganisationHttpRequest, year: int, *, notes: bool) -> None:
        self.balance = selectors_sb.social_balance(request.organisation, year, with_notes=notes)
        self.record = FinancialYear.objects.filter(
            organisation_id=request.organisation.pk, end_date=self.balance.end
        ).first()
        live = self.balance.as_strings()
        self.closed = self.record is not None and self.record.is_closed
        if self.closed and self.record is not None and self.record.figures:
            self.figures = {code: str(self.record.figures.get(code, "")) for code in live}
            self.differ = [code for code, value in live.items() if self.figures[code] != value]
        else:
            self.figures = live
            self.differ = []

    def blocks(self) -> list[dict[str, Any]]:
        """The worksheet's three blocks with the shown figures, ready for a template."""
        figures = self.figures
        return [
            {
                "title": block.title,
                "category": block.category,
                "lines": [
                    {
                        "label": line.label,
                        "of_which": line.line in ("gross", "contributions", "subsidies"),
                        "is_count": line.line == "workers",
                        "is_money": line.line not in ("workers", "hours"),
                        "men": {"code": line.men.code, "value": figures[line.men.code]},
                        "women": {"code": line.women.code, "value": figures[line.women.code]},
                        "cells": [
                            {"code": line.men.code, "value": figures[line.men.code]},
                            {"code": line.women.code, "value": figures[line.women.code]},
                        ],
                        "total": _total(figures[line.men.code], figures[line.women.code]),
                        "differs": line.men.code in self.differ or line.women.code in self.differ,
                    }
                    for line in block.lines
                ],
            }
            for block in self.balance.blocks()
        ]

    def rows(self) -> list[tuple[str, str, str, str]]:
        """(code, value, category, label with column) for each code, in the form's order."""
        rows = []
        for block in self.balance.blocks():
            for line in block.lines:
                for figure, column in ((line.men, _("men")), (line.women, _("women"))):
                    rows.append(
                        (
                            figure.code,
                            self.figures[figure.code],
                            str(block.title),
                            f"{line.label} ({column})",
                        )
                    )
        return rows


def _total(men: str, women: str) -> str:
    return str(Decimal(men or "0") + Decimal(women or "0"))


def _page(
    request: OrganisationHttpRequest,
    year: int,
    *,
    staff_form: StaffCostForm | None = None,
    reopen_form: ReopenForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    shown = Shown(request, year, notes=True)
    record = shown.record
    can_close = request.user.has_perm(CLOSE)
    if staff_form is None:
        staff_form = StaffCostForm(
            initial={
                "staff_cost_men": record.staff_cost_men if record else None,
                "staff_cost_women": record.staff_cost_women if record else None,
            }
        )
    return render(
        request,
        "registration/sb/page.html",
        {
            "balance": shown.balance,
            "notes": shown.balance.notes,
            "blocks": shown.blocks(),
            "year": year,
            "years": selectors_sb.year_choices(request.organisation, today, also=year),
            "record": record,
            "closed": shown.closed,
            "differ": shown.differ,
            "can_records": request.user.has_perm(SB_RECORDS),
            "can_contributions": request.user.has_perm("registration.manage_activities"),
            "can_close": can_close,
            "can_close_now": can_close and shown.balance.end < today,
            "reopen_form": reopen_form or ReopenForm(),
            "staff_form": staff_form,
            "unstated_column": selectors_sb.unstated_column(),
            "cost_split": selectors_sb.sb_setting("SB_COST_SPLIT"),
            "stylesheets": STYLESHEETS,
        },
        status=status,
    )


@require_GET
@requires(VIEW_SB)
def social_balance(request: OrganisationHttpRequest) -> HttpResponse:
    """The worksheet of one financial year; by default the last finished one."""
    last = selectors_sb.year_of(request.organisation, timezone.localdate()) - 1
    return _page(request, year_param(request, last))


@require_GET
@requires(SB_RECORDS)
def sb_records(request: OrganisationHttpRequest, year: int, code: str) -> HttpResponse:
    """The records behind one figure (HR only: it names people)."""
    if code not in selectors_sb.CODE_INDEX:
        raise Http404
    records = selectors_sb.sb_records(
        request.organisation, checked_year(year), code, request.GET.get("page")
    )
    shown = Shown(request, year, notes=False)
    return render(
        request,
        "registration/sb/records.html",
        {
            "records": records,
            "page_obj": records.page,
            "figure": shown.figures[code],
            "live": shown.balance.as_strings()[code],
            "closed": shown.closed,
            "is_money": records.line not in ("workers", "hours"),
            "year": year,
            "code": code,
            "back_url": f"{reverse('registration:social-balance')}?year={year}",
            "stylesheets": STYLESHEETS,
        },
    )


# --- Exports -----------------------------------------------------------------------------------


def _header(request: OrganisationHttpRequest, shown: Shown) -> list[tuple[str, str]]:
    org = request.organisation
    balance = shown.balance
    return [
        (_("Organisation"), org.name),
        (_("Enterprise number"), org.enterprise_number or "-"),
        (
            _("Financial year"),
            f"{balance.year} ({balance.start.isoformat()} - {balance.end.isoformat()})",
        ),
        (_("Status"), _("closed, figures frozen") if shown.closed else _("open, provisional")),
    ]


def _csv(request: OrganisationHttpRequest, shown: Shown) -> str:
    out = io.StringIO()
    for name, value in _header(request, shown):
        out.write(f"# {name}: {value}\r\n")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["code", "value", "label"])
    for code, value, category, label in shown.rows():
        writer.writerow([code, value, f"{category}: {label}"])
    return out.getvalue()


def _json(request: OrganisationHttpRequest, shown: Shown) -> str:
    org = request.organisation
    balance = shown.balance
    body = {
        "organisation": org.name,
        "enterprise_number": org.enterprise_number,
        "financial_year": {
            "year": balance.year,
            "start": balance.start.isoformat(),
            "end": balance.end.isoformat(),
        },
        "closed": shown.closed,
        "figures": {code: value for code, value, _category, _label in shown.rows()},
    }
    return json.dumps(body, indent=2, ensure_ascii=False)


def _xlsx(request: OrganisationHttpRequest, shown: Shown) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet: Any = book.active
    sheet.title = f"SB {shown.balance.year}"
    sheet.append([_("Social balance: information on training")])
    sheet["A1"].font = Font(bold=True, size=13)
    for name, value in _header(request, shown):
        sheet.append([name, value])
    sheet.append([])
    sheet.append([_("Code"), _("Value"), _("Category"), _("Line")])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for code, value, category, label in shown.rows():
        number = Decimal(value or "0")
        typed: int | Decimal = int(number) if "." not in value else number
        sheet.append([code, typed, category, label])
        cell = sheet.cell(row=sheet.max_row, column=2)
        cell.number_format = "0" if isinstance(typed, int) else "#,##0.00"
        cell.alignment = Alignment(horizontal="right")
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    for column, width in (("A", 10), ("B", 16), ("C", 62), ("D", 70)):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def render_pdf(request: OrganisationHttpRequest, shown: Shown) -> bytes:
    """The worksheet as an A4 PDF (WeasyPrint, self-contained: inline style, system fonts)."""
    from leerplek.onboarding.pdf import _weasyprint

    html = render_to_string(
        "registration/sb/pdf.html",
        {
            "organisation": request.organisation,
            "balance": shown.balance,
            "closed": shown.closed,
            "record": shown.record,
            "blocks": shown.blocks(),
            "printed": timezone.localdate(),
        },
    )
    return bytes(_weasyprint().HTML(string=html).write_pdf())


@require_GET
@requires(VIEW_SB)
def sb_export(request: OrganisationHttpRequest, year: int, fmt: str) -> HttpResponse:
    """The figures shown on the page (frozen for a closed year) for the accountant."""
    if fmt not in EXPORT_FORMATS:
        raise Http404
    shown = Shown(request, checked_year(year), notes=False)
    response: HttpResponse
    if fmt == "json":
        response = HttpResponse(_json(request, shown), content_type="application/json")
    elif fmt == "csv":
        response = HttpResponse(_csv(request, shown), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(_xlsx(request, shown), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(render_pdf(request, shown), content_type="application/pdf")
    stem = f"sociale-balans-opleidingen-{request.organisation.slug}-{year}"
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


# --- The year's writes -------------------------------------------------------------------------


def _year_record(request: OrganisationHttpRequest, year: int) -> FinancialYear:
    return services_sb.financial_year_get_or_create(request.organisation, checked_year(year))


def _back(year: int) -> HttpResponse:
    return redirect(f"{reverse('registration:social-balance')}?year={year}")


@require_POST
@requires(CLOSE)
def year_close(request: OrganisationHttpRequest, year: int) -> HttpResponse:
    record = _year_record(request, year)
    try:
        services_sb.year_close(year=record, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _page(request, year, status=422)
    messages.success(
        request,
        _("The financial year %(year)s is closed; its figures are frozen.") % {"year": year},
    )
    return _back(year)


@require_POST
@requires(CLOSE)
def year_reopen(request: OrganisationHttpRequest, year: int) -> HttpResponse:
    record = _year_record(request, year)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services_sb.year_reopen(
                year=record, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            put_errors(form, error)
    if form.errors:
        return _page(request, year, reopen_form=form, status=422)
    messages.success(request, _("The financial year %(year)s is open again.") % {"year": year})
    return _back(year)


@require_POST
@requires(CLOSE)
def year_staff_costs(request: OrganisationHttpRequest, year: int) -> HttpResponse:
    record = _year_record(request, year)
    form = StaffCostForm(request.POST)
    if form.is_valid():
        try:
            services_sb.year_set_staff_costs(
                year=record,
                by=request.user,
                men=form.cleaned_data["staff_cost_men"],
                women=form.cleaned_data["staff_cost_women"],
            )
        except ValidationError as error:
            put_errors(form, error)
    if form.errors:
        return _page(request, year, staff_form=form, status=422)
    messages.success(request, _("The staff costs were saved."))
    return _back(year)


urlpatterns: list[URLPattern] = [
    path("social-balance/", social_balance, name="social-balance"),
    path("social-balance/<int:year>/figures/<str:code>/", sb_records, name="sb-records"),
    path("social-balance/<int:year>/export.<str:fmt>", sb_export, name="sb-export"),
    path("social-balance/<int:year>/close/", year_close, name="year-close"),
    path("social-balance/<int:year>/reopen/", year_reopen, name="year-reopen"),
    path("social-balance/<int:year>/staff-costs/", year_staff_costs, name="year-staff-costs"),
]
