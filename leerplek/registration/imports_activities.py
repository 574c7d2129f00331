"""Import of learning registrations from one XLSX sheet (REG-01): a payroll secretariat's or a
sector training fund's export, one row per participant.

Rows with the same title, start date and end date are one activity with several participants.
The whole file is checked first; every problem is listed with its row number (as Excel shows it)
and its column, and then nothing is written. A file without problems is written in one
transaction through the core services (`services.activity_create`, `participant_add`,
`cost_line_add`), so the rules of the form apply unchanged (closed financial year, employment on
the activity's dates, hours within the duration, ...); any refusal of theirs is listed the same
way and rolls the whole file back.

The cost columns of a row are cost lines for that participant (kind = the column). An activity
imported once cannot be imported again from another file (its `source_key`): add the missing
participants on its page instead, so nothing is counted twice in the social balance.

Reuses the reading helpers of `people/imports.py` (cell text, dates, choices spelled in Dutch,
French or English, the row limit `LEERPLEK["IMPORT_MAX_ROWS"]`, the upload and zip-bomb limits).
"""

from __future__ import annotations

import datetime
import hashlib
import io
import logging
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from leerplek.core import audit
from leerplek.core.xlsx import Sheet, build_workbook
from leerplek.people import imports as people_imports
from leerplek.people.imports import Problem, cell_text, choice_lookup, normalise, parse_date
from leerplek.people.models import Employee, Organisation, User
from leerplek.registration import services
from leerplek.registration.models import (
    Activity,
    Category,
    CostKind,
    Exclusion,
    ExtraField,
    ExtraFieldKind,
    InformalKind,
    OrganiserKind,
    ParticipationStatus,
    Place,
    Source,
)

logger = logging.getLogger(__name__)

PERMISSION = "registration.import_activities"
MAX_UPLOAD_BYTES = people_imports.MAX_UPLOAD_MB * 1024 * 1024
# More problems than this are not listed: the first ones show what is wrong with the file.
MAX_PROBLEMS = 500
SOURCE_PREFIX = "import:"
MAX_HOURS = Decimal("9999.99")
MAX_AMOUNT = Decimal("9999999999.99")


@dataclass(frozen=True)
class Column:
    key: str
    help: str | Promise
    required: bool = False
    example: str = ""
    choices: type[models.TextChoices] | None = None


ACTIVITY_COLUMNS = [
    Column(
        "title",
        _("The activity's title; rows with the same title and dates are one activity."),
        True,
        "Heftruck veilig besturen",
    ),
    Column("category", _("formal, informal or initial."), True, "formal", Category),
    Column(
        "informal_kind",
        _("For an informal activity only: how one learned."),
        False,
        "",
        InformalKind,
    ),
    Column(
        "organiser_kind",
        _("internal or external; empty is internal."),
        False,
        "external",
        OrganiserKind,
    ),
    Column(
        "organiser_name",
        _("The training provider, school or sector fund."),
        False,
        "Opleidingsfonds Voeding",
    ),
    Column(
        "start_date", _("First day: 2025-03-31, 31/03/2025 or an Excel date."), True, "2025-03-10"
    ),
    Column("end_date", _("Last day; empty is the start date."), False, "2025-03-11"),
    Column(
        "duration_hours", _("The most working hours one participant can spend on it."), False, "16"
    ),
    Column("place", _("workplace or away; empty is away."), False, "away", Place),
    Column("location", _("Where it took place."), False, "Gent"),
    Column(
        "exclusion",
        _("Empty when it counts as training; otherwise why it does not."),
        False,
        "",
        Exclusion,
    ),
    Column("exclusion_note", _("Why it does not count (needed for the reason other)."), False),
    Column(
        "leads_to_qualification",
        _("Initial training: yes when it leads to a recognised certificate or diploma."),
        False,
        "",
    ),
    Column(
        "partly_on_shop_floor", _("Initial training: yes when partly on the shop floor."), False, ""
    ),
    Column("qualification", _("Initial training: the certificate or diploma."), False, ""),
]
PERSON_COLUMNS = [
    Column(
        "employee_number",
        _("The participant's personnel number (or fill in email)."),
        False,
        "1001",
    ),
    Column("email", _("The participant's email address (or fill in employee_number)."), False),
    Column("hours", _("The working hours this participant spent on it, e.g. 7.5."), True, "16"),
    Column(
        "status",
        _("planned, reserved, completed or not_followed; empty is completed."),
        False,
        "completed",
        ParticipationStatus,
    ),
    Column("certificate_obtained", _("yes or no."), False, "yes"),
]
# Each money column becomes a cost line of that kind for the row's participant.
COST_COLUMNS: dict[str, str] = {
    "trainee_pay": CostKind.TRAINEE_PAY,
    "trainer_pay": CostKind.TRAINER_PAY,
    "external_cost": CostKind.EXTERNAL,
    "running_cost": CostKind.RUNNING,
    "travel_cost": CostKind.TRAVEL,
    "fund_contribution": CostKind.CONTRIBUTION,
    "subsidy": CostKind.SUBSIDY,
}
COST_EXAMPLES = {"trainee_pay": "380.00", "external_cost": "450.00", "subsidy": "225.00"}
MONEY_COLUMNS = [
    Column(
        key,
        _("In euro, e.g. 450.00: %(kind)s.") % {"kind": CostKind(kind).label},
        False,
        COST_EXAMPLES.get(key, ""),
    )
    for key, kind in COST_COLUMNS.items()
]
COLUMNS = ACTIVITY_COLUMNS + PERSON_COLUMNS + MONEY_COLUMNS
ACTIVITY_KEYS = [column.key for column in ACTIVITY_COLUMNS]
# Words payroll and sector-fund exports use besides the codes and the interface labels; kept
# here, not only in the catalogues, so that a reworded label never breaks a file.
ALIASES: dict[type[models.TextChoices], dict[str, tuple[str, ...]]] = {
    Category: {
        "formal": ("formeel", "formele opleiding", "formel", "formation formelle"),
        "informal": (
            "informeel",
            "minder formeel",
            "minder formeel of informeel",
            "informel",
            "moins formel",
        ),
        "initial": ("initieel", "initiele opleiding", "initiale", "formation initiale"),
    },
    InformalKind: {
        "on_the_job": ("opleiding op de werkvloer", "on the job", "werkplekleren", "otj"),
        "self_study": ("zelfstudie", "autoformation"),
        "study_visit": ("studiebezoek", "visite d etude"),
        "job_rotation": ("jobrotatie", "rotation"),
        "conference": ("conferentie", "congres", "seminarie"),
        "trade_fair": ("beurs", "vakbeurs", "salon"),
        "distance": ("afstandsleren", "e learning", "elearning"),
        "know_how": ("knowhow verwerven", "kennisverwerving"),
        "other": ("ander", "andere", "autre"),
    },
    OrganiserKind: {
        "internal": ("intern", "interne", "in house"),
        "external": ("extern", "externe"),
    },
    Place: {
        "workplace": ("werkplek", "op de werkplek", "sur le lieu de travail", "on site"),
        "away": ("buiten de werkplek", "extern", "hors du lieu de travail", "off site"),
    },
    ParticipationStatus: {
        "planned": ("gepland", "prevu"),
        "reserved": ("gereserveerd", "ingeschreven", "reserve", "inscrit"),
        "completed": ("gevolgd", "voltooid", "afgerond", "done", "suivi", "termine"),
        "not_followed": ("niet gevolgd", "afwezig", "no show", "absent", "non suivi"),
    },
    Exclusion: {
        "brainstorming": ("brainstorm",),
        "policy_info": ("infosessie", "informatiesessie", "info session"),
        "onboarding_only": ("onthaal", "accueil"),
        "meeting": ("vergadering", "werkoverleg", "reunion"),
        "other": ("ander", "andere", "autre"),
    },
}
YES = {"yes", "y", "ja", "j", "oui", "o", "1", "true", "waar", "vrai", "x"}
NO = {"no", "n", "nee", "non", "0", "false", "onwaar", "faux", ""}

MESSAGES: dict[str, str | Promise] = {
    "file_type": _("Upload an Excel workbook (.xlsx); save the export from Excel in that format."),
    "file_too_big": _("The file is larger than %(max)s MB. Split it into smaller files."),
    "unknown_column": _(
        'Unknown column "%(value)s". Rename it to one of the columns of the template or delete it.'
    ),
    "duplicate_column": _("The column %(column)s appears twice. Delete one of them."),
    "missing_column": _("The column %(column)s is missing. Add it, as in the template."),
    "missing_identity_column": _(
        "Add a column employee_number or email, so that every participant can be recognised."
    ),
    "required": _("Fill in %(column)s; it cannot be empty."),
    "too_long": _("This is %(length)s characters long; shorten it to at most %(max)s."),
    "bad_choice": _('"%(value)s" is not a known %(column)s. Use one of: %(allowed)s.'),
    "bad_date": _('"%(value)s" is not a date. Write it as 2025-03-31 or 31/03/2025.'),
    "bad_yes_no": _('"%(value)s" is not yes or no. Write yes or no (ja/nee, oui/non).'),
    "bad_hours": _(
        '"%(value)s" is not a number of hours from 0 to %(max)s with at most two decimals, '
        "e.g. 7.5."
    ),
    "bad_amount": _(
        '"%(value)s" is not an amount in euro from 0 with at most two decimals, e.g. 450.00.'
    ),
    "missing_identity": _("Fill in employee_number or email, to say who took part."),
    "unknown_person": _("No person with %(column)s %(value)s in this organisation."),
    "ambiguous_person": _(
        "Several people in this organisation have %(column)s %(value)s; identify this row by "
        "the other column."
    ),
    "identity_conflict": _(
        "employee_number %(number)s and email %(email)s belong to two different people."
    ),
    "differs": _(
        "Row %(other)s of the same activity (same title and dates) has %(expected)s here; "
        "give every row of one activity the same %(column)s."
    ),
    "already_imported": _(
        "This activity (same title and dates) was already imported. Add its missing "
        "participants on its page, or remove these rows."
    ),
}


class ImportFileError(Exception):
    """The file as a whole cannot be read (row 0)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def _problem(row: int, column: str, value: str, letter: str, code: str, **params: Any) -> Problem:
    message = str(MESSAGES[code]) % {"value": value, "column": column, **params}
    return Problem(row, column, value[:200], "refused", {"message": message}, letter)


def _choice(choices: type[models.TextChoices], text: str) -> str | None:
    """The code `text` means: a code, a label in nl, fr or en, or an alias above."""
    key = normalise(text)
    found = choice_lookup(choices).get(key)
    if found is not None:
        return str(found)
    for value, spellings in ALIASES.get(choices, {}).items():
        if key in spellings:
            return value
    return None


def _header_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.casefold())


# --- Reading -------------------------------------------------------------------------------------


@dataclass
class SheetRows:
    """The cells of the sheet as text under their column key; `extra` maps a column key to the
    extra field it fills."""

    columns: list[str]
    letters: dict[str, str]
    rows: list[tuple[int, dict[str, str]]]
    extra: dict[str, ExtraField]
    problems: list[Problem] = field(default_factory=list)
    _by_row: dict[int, dict[str, str]] | None = field(default=None, repr=False)

    def value(self, number: int, column: str) -> str:
        """The text of one cell (row `number` as Excel shows it)."""
        if self._by_row is None:
            self._by_row = dict(self.rows)
        return self._by_row.get(number, {}).get(column, "")


def _xlsx_values(content: bytes) -> Iterator[list[Any]]:
    if not content.startswith(b"PK"):
        raise ImportFileError("file_type")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if (
                sum(info.file_size for info in archive.infolist())
                > people_imports.MAX_UNPACKED_BYTES
            ):
                raise ImportFileError("file_type")
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except ImportFileError:
        raise
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
        logger.info("unreadable activities upload: %r", error)
        raise ImportFileError("file_type") from error
    try:
        # The first sheet holds the data; the template's second sheet explains the columns.
        for values in book.worksheets[0].iter_rows(values_only=True):
            yield list(values)
    finally:
        book.close()


def read_sheet(*, organisation: Organisation, name: str, content: bytes) -> SheetRows:
    """The rows of an uploaded workbook, with the problems of its header and size.

    Raises ImportFileError when the file is not a readable XLSX or is too large."""
    if not name.lower().endswith(".xlsx"):
        raise ImportFileError("file_type")
    if len(content) > MAX_UPLOAD_BYTES:
        raise ImportFileError("file_too_big", max=people_imports.MAX_UPLOAD_MB)
    extra_fields = list(ExtraField.objects.filter(organisation=organisation, active=True))
    known = {_header_key(column.key): column.key for column in COLUMNS}
    extra_by_header: dict[str, ExtraField] = {}
    for extra_field in extra_fields:
        extra_by_header[_header_key(extra_field.key)] = extra_field
        extra_by_header.setdefault(_header_key(extra_field.label), extra_field)
    values = enumerate(_xlsx_values(content), start=1)
    header: list[Any] | None = None
    header_row = 0
    for number, cells in values:
        if any(cell_text(cell) for cell in cells):
            header, header_row = cells, number
            break
    if header is None:
        raise ImportFileError("file_type")
    problems: list[Problem] = []
    positions: list[tuple[int, str]] = []
    extra: dict[str, ExtraField] = {}
    seen: set[str] = set()
    for index, cell in enumerate(header):
        text = cell_text(cell)
        letter = get_column_letter(index + 1)
        if not text:
            continue
        key = known.get(_header_key(text))
        if key is None and _header_key(text) in extra_by_header:
            found = extra_by_header[_header_key(text)]
            key = f"extra_{found.key}"
            extra[key] = found
        if key is None:
            problems.append(_problem(header_row, "", text, letter, "unknown_column"))
        elif key in seen:
            problems.append(_problem(header_row, key, text, letter, "duplicate_column"))
        else:
            seen.add(key)
            positions.append((index, key))
    for column in COLUMNS:
        if column.required and column.key not in seen:
            problems.append(_problem(header_row, column.key, "", "", "missing_column"))
    if not seen.intersection({"employee_number", "email"}):
        problems.append(_problem(header_row, "", "", "", "missing_identity_column"))
    rows: list[tuple[int, dict[str, str]]] = []
    limit = people_imports.max_rows()
    for number, cells in values:
        texts = [cell_text(cell) for cell in cells]
        if not any(texts):
            continue
        if len(rows) >= limit:
            message = gettext(
                "The file has more than %(max)s rows. Split it into files of at most %(max)s rows."
            ) % {"max": limit}
            problems.append(Problem(0, "", "", "refused", {"message": message}))
            break
        rows.append(
            (number, {key: texts[index] if index < len(texts) else "" for index, key in positions})
        )
    if not rows and not problems:
        message = gettext("There are no rows under the column names. Add at least one row.")
        problems.append(Problem(0, "", "", "refused", {"message": message}))
    letters = {key: get_column_letter(index + 1) for index, key in positions}
    return SheetRows([key for _i, key in positions], letters, rows, extra, problems)


# --- Validation ----------------------------------------------------------------------------------


@dataclass
class RowItem:
    number: int
    activity: dict[str, Any]
    extra: dict[str, Any]
    identity_column: str
    employee: Employee | None
    participation: dict[str, Any]
    costs: list[tuple[str, str, Decimal]]  # (column, kind, amount)


@dataclass
class Group:
    key: str
    rows: list[RowItem]


class RowReader:
    """Turns the text cells of one row into values, keeping a Problem for each bad cell."""

    def __init__(self, sheet: SheetRows, number: int, cells: dict[str, str]) -> None:
        self.sheet = sheet
        self.number = number
        self.cells = cells
        self.problems: list[Problem] = []

    def raw(self, key: str) -> str:
        return self.cells.get(key, "")

    def problem(self, key: str, code: str, **params: Any) -> None:
        self.problems.append(
            _problem(
                self.number, key, self.raw(key), self.sheet.letters.get(key, ""), code, **params
            )
        )

    def text(self, key: str, *, max_length: int, required: bool = False) -> str:
        value = self.raw(key)
        if required and not value and key in self.cells:
            self.problem(key, "required")
        elif len(value) > max_length:
            self.problem(key, "too_long", length=len(value), max=max_length)
        return value

    def choice(self, key: str, choices: type[models.TextChoices], *, required: bool = False) -> str:
        value = self.raw(key)
        if not value:
            if required and key in self.cells:
                self.problem(key, "required")
            return ""
        found = _choice(choices, value)
        if found is None:
            allowed = ", ".join(str(code) for code in choices.values if code)
            self.problem(key, "bad_choice", allowed=allowed)
            return ""
        return str(found)

    def date(self, key: str, *, required: bool = False) -> datetime.date | None:
        value = self.raw(key)
        if not value:
            if required and key in self.cells:
                self.problem(key, "required")
            return None
        parsed = parse_date(value)
        if parsed is None:
            self.problem(key, "bad_date")
        return parsed

    def yes_no(self, key: str) -> bool:
        value = normalise(self.raw(key))
        if value in YES:
            return True
        if value not in NO:
            self.problem(key, "bad_yes_no")
        return False

    def decimal(self, key: str, code: str, maximum: Decimal) -> Decimal | None:
        """A decimal with at most two decimals, 0..maximum; "1.234,50" and "€ 450" are read."""
        value = self.raw(key).replace("€", "").replace("EUR", "").replace(" ", "").strip()
        if not value:
            return None
        if "," in value:
            value = value.replace(".", "").replace(",", ".")
        try:
            number = Decimal(value)
        except InvalidOperation:
            number = None
        if (
            number is None
            or not number.is_finite()
            or not Decimal(0) <= number <= maximum
            or number != number.quantize(Decimal("0.01"))
        ):
            self.problem(key, code, max=maximum)
            return None
        return number.quantize(Decimal("0.01"))


def _group_key(title: str, start: datetime.date | None, end: datetime.date | None) -> str:
    text = f"{normalise(title)}|{start}|{end or start}"
    return SOURCE_PREFIX + hashlib.sha256(text.encode()).hexdigest()[:40]


class PersonIndex:
    """The organisation's people referred to by the file, loaded in one query."""

    def __init__(self, organisation: Organisation, sheet: SheetRows) -> None:
        numbers = {cells.get("employee_number", "") for _n, cells in sheet.rows} - {""}
        emails = {cells.get("email", "").lower() for _n, cells in sheet.rows} - {""}
        people = (
            list(
                Employee.objects.filter(organisation=organisation).filter(
                    Q(employee_number__in=numbers) | Q(email__in=emails)
                )
            )
            if numbers or emails
            else []
        )
        self.by_number: dict[str, list[Employee]] = {}
        self.by_email: dict[str, list[Employee]] = {}
        for person in people:
            if person.employee_number in numbers:
                self.by_number.setdefault(person.employee_number, []).append(person)
            if person.email.lower() in emails:
                self.by_email.setdefault(person.email.lower(), []).append(person)

    def find(self, reader: RowReader) -> tuple[str, Employee | None]:
        number, email = reader.raw("employee_number"), reader.raw("email").lower()
        if not number and not email:
            reader.problem(
                "employee_number" if "employee_number" in reader.cells else "email",
                "missing_identity",
            )
            return "employee_number", None
        found: dict[str, Employee] = {}
        for column, value, index in (
            ("employee_number", number, self.by_number),
            ("email", email, self.by_email),
        ):
            if not value:
                continue
            matches = index.get(value, [])
            if not matches:
                reader.problem(column, "unknown_person")
            elif len(matches) > 1:
                reader.problem(column, "ambiguous_person")
            else:
                found[column] = matches[0]
        if len(found) == 2 and found["employee_number"].pk != found["email"].pk:
            reader.problem("email", "identity_conflict", number=number, email=email)
            return "employee_number", None
        column = "employee_number" if number else "email"
        return column, found.get("employee_number") or found.get("email")


def _read_row(reader: RowReader, sheet: SheetRows, people: PersonIndex) -> RowItem:
    activity: dict[str, Any] = {
        "title": reader.text("title", max_length=200, required=True),
        "category": reader.choice("category", Category, required=True),
        "informal_kind": reader.choice("informal_kind", InformalKind),
        "organiser_kind": reader.choice("organiser_kind", OrganiserKind) or OrganiserKind.INTERNAL,
        "organiser_name": reader.text("organiser_name", max_length=200),
        "start_date": reader.date("start_date", required=True),
        "end_date": reader.date("end_date"),
        "duration_hours": reader.decimal("duration_hours", "bad_hours", MAX_HOURS),
        "place": reader.choice("place", Place) or Place.AWAY,
        "location": reader.text("location", max_length=200),
        "exclusion": reader.choice("exclusion", Exclusion),
        "exclusion_note": reader.text("exclusion_note", max_length=300),
        "leads_to_qualification": reader.yes_no("leads_to_qualification"),
        "partly_on_shop_floor": reader.yes_no("partly_on_shop_floor"),
        "qualification": reader.text("qualification", max_length=200),
    }
    extra: dict[str, Any] = {}
    for key, extra_field in sheet.extra.items():
        value: Any = reader.raw(key)
        if extra_field.kind == ExtraFieldKind.YES_NO:
            value = reader.yes_no(key)
        elif extra_field.kind == ExtraFieldKind.DATE and value:
            parsed = reader.date(key)
            value = parsed.isoformat() if parsed else ""
        extra[extra_field.key] = value
    identity_column, employee = people.find(reader)
    hours = reader.decimal("hours", "bad_hours", MAX_HOURS)
    if not reader.raw("hours") and "hours" in reader.cells:
        reader.problem("hours", "required")
    participation = {
        "hours": hours if hours is not None else Decimal("0"),
        "status": reader.choice("status", ParticipationStatus) or ParticipationStatus.COMPLETED,
        "certificate_obtained": reader.yes_no("certificate_obtained"),
    }
    costs = []
    for column, kind in COST_COLUMNS.items():
        amount = reader.decimal(column, "bad_amount", MAX_AMOUNT)
        if amount is not None:
            costs.append((column, kind, amount))
    return RowItem(reader.number, activity, extra, identity_column, employee, participation, costs)


def _display(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    return str(value)


def validate(*, organisation: Organisation, sheet: SheetRows) -> tuple[list[Group], list[Problem]]:
    """Check every row without writing: the cells, the people, and that the rows of one activity
    agree. Returns the activities to write and the problems (rows in file order)."""
    problems = list(sheet.problems)
    people = PersonIndex(organisation, sheet)
    groups: dict[str, Group] = {}
    for number, cells in sheet.rows:
        reader = RowReader(sheet, number, cells)
        item = _read_row(reader, sheet, people)
        key = _group_key(
            item.activity["title"], item.activity["start_date"], item.activity["end_date"]
        )
        group = groups.get(key)
        if group is None:
            groups[key] = Group(key, [item])
        else:
            first = group.rows[0]
            for column in ACTIVITY_KEYS + list(sheet.extra):
                if column not in sheet.columns:
                    continue
                if column.startswith("extra_"):
                    mine, theirs = item.extra.get(column[6:]), first.extra.get(column[6:])
                else:
                    mine, theirs = item.activity[column], first.activity[column]
                if column != "title" and mine != theirs:
                    reader.problem(column, "differs", other=first.number, expected=_display(theirs))
            group.rows.append(item)
        problems.extend(reader.problems)
        if len(problems) > MAX_PROBLEMS:
            break
    imported = set(
        Activity.objects.filter(organisation=organisation, source_key__in=list(groups)).values_list(
            "source_key", flat=True
        )
    )
    for key in imported:
        first = groups[key].rows[0]
        problems.append(
            _problem(
                first.number,
                "title",
                first.activity["title"],
                sheet.letters.get("title", ""),
                "already_imported",
            )
        )
    problems.sort(key=lambda problem: problem.row)
    return list(groups.values()), problems


# --- Writing -------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    activities: int = 0
    participations: int = 0
    cost_lines: int = 0
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


class _RefusedError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


def _refusals(
    error: ValidationError, row: RowItem, sheet: SheetRows, columns: dict[str, str]
) -> list[Problem]:
    """A service's refusal as problems of `row`, in the column of the field it names."""
    found = []
    items = error.error_dict.items() if hasattr(error, "error_dict") else [("", error.error_list)]
    for name, errors in items:
        column = columns.get(name, name if name in sheet.columns else "")
        if not column and name.startswith("extra_"):
            column = name
        value = sheet.value(row.number, column)
        for message in ValidationError(errors).messages:
            found.append(
                Problem(
                    row.number,
                    column,
                    value[:200],
                    "refused",
                    {"message": message},
                    sheet.letters.get(column, ""),
                )
            )
    return found


def _write(
    *, organisation: Organisation, by: User, groups: list[Group], sheet: SheetRows
) -> ImportResult:
    result = ImportResult(rows=len(sheet.rows))
    problems: list[Problem] = []
    for group in groups:
        first = group.rows[0]
        try:
            activity = services.activity_create(
                organisation=organisation,
                by=by,
                extra=first.extra,
                source=Source.IMPORT,
                source_key=group.key,
                **first.activity,
            )
        except ValidationError as error:
            problems.extend(_refusals(error, first, sheet, {}))
            continue
        result.activities += 1
        for row in group.rows:
            assert row.employee is not None
            try:
                services.participant_add(
                    activity=activity, by=by, employee=row.employee, **row.participation
                )
            except ValidationError as error:
                problems.extend(_refusals(error, row, sheet, {"employee": row.identity_column}))
                continue
            result.participations += 1
            for column, kind, amount in row.costs:
                try:
                    services.cost_line_add(
                        activity=activity, by=by, kind=kind, amount=amount, employee=row.employee
                    )
                except ValidationError as error:
                    problems.extend(
                        _refusals(
                            error,
                            row,
                            sheet,
                            {
                                "amount": column,
                                "kind": column,
                                "currency": column,
                                "employee": column,
                            },
                        )
                    )
                    continue
                result.cost_lines += 1
        if len(problems) > MAX_PROBLEMS:
            break
    if problems:
        raise _RefusedError(problems)
    return result


def activities_import(
    *, organisation: Organisation, by: User, name: str, content: bytes
) -> ImportResult:
    """Check an uploaded workbook and, when every row is right, write it all in one transaction.

    Returns the counts written, or the problems (row, column, value, message) with nothing
    written. Raises PermissionDenied without `registration.import_activities`."""
    if not by.has_perm(PERMISSION, organisation):
        raise PermissionDenied
    try:
        sheet = read_sheet(organisation=organisation, name=name, content=content)
    except ImportFileError as error:
        message = str(MESSAGES[error.code]) % error.params
        return ImportResult(problems=[Problem(0, "", "", "refused", {"message": message})])
    groups, problems = validate(organisation=organisation, sheet=sheet)
    if problems:
        return ImportResult(rows=len(sheet.rows), problems=problems)
    try:
        with transaction.atomic():
            result = _write(organisation=organisation, by=by, groups=groups, sheet=sheet)
            audit.record(
                actor=by,
                action="registration.activities_imported",
                organisation=organisation,
                after={
                    "file": name[:200],
                    "rows": result.rows,
                    "activities": result.activities,
                    "participations": result.participations,
                    "cost_lines": result.cost_lines,
                },
            )
    except _RefusedError as refused:
        refused.problems.sort(key=lambda problem: problem.row)
        return ImportResult(rows=len(sheet.rows), problems=refused.problems)
    return result


# --- The template --------------------------------------------------------------------------------


def _allowed(column: Column) -> str:
    if column.choices is None:
        return ""
    return "; ".join(f"{value} ({label})" for value, label in column.choices.choices if value)


def template_workbook(*, organisation: Organisation) -> bytes:
    """The XLSX template: the column names and an example row on the first sheet (with the
    organisation's extra fields at the end), and a Help sheet explaining every column."""
    extra = list(ExtraField.objects.filter(organisation=organisation, active=True))
    headers = [column.key for column in COLUMNS] + [item.key for item in extra]
    example = [column.example for column in COLUMNS] + [
        item.choice_list[0] if item.choice_list else "" for item in extra
    ]
    help_rows: list[list[Any]] = [
        [
            column.key,
            gettext("yes") if column.required else gettext("no"),
            str(column.help),
            _allowed(column),
            column.example,
        ]
        for column in COLUMNS
    ]
    help_rows += [
        [
            item.key,
            gettext("yes") if item.required else gettext("no"),
            item.label,
            "; ".join(item.choice_list) or item.get_kind_display(),
            "",
        ]
        for item in extra
    ]
    help_rows += [
        [],
        [gettext("One row per participant; rows with the same title and dates are one activity.")],
        [gettext("employee_number or email says who took part; one of them is enough.")],
        [gettext("Each amount is a cost line for the row's participant.")],
        [
            gettext(
                "The whole file is checked before anything is saved; every problem is listed "
                "with its row and column, and then nothing is saved."
            )
        ],
    ]
    return build_workbook(
        [
            Sheet(gettext("Registrations"), headers, [example]),
            Sheet(
                gettext("Help"),
                [
                    gettext("Column"),
                    gettext("Must be filled in"),
                    gettext("What to write"),
                    gettext("Allowed values"),
                    gettext("Example"),
                ],
                help_rows,
            ),
        ]
    )
