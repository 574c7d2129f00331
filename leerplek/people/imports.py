"""Import and export of units, functions (jobs) and people as XLSX or CSV (see docs/import.md).

The flow:

1. `import_job_create` reads the uploaded file into text cells and validates every row against the
   organisation's current data. It writes nothing but an `ImportJob` holding the cells (to import
   later) or the list of problems (row, column, value, what to do).
2. `import_job_confirm` claims a ready job and runs it: in the request for small files, in a
   background thread for large ones (the page polls `import_progress`).
3. `import_job_run` validates again inside one transaction (the data may have changed since the
   upload) and writes all-or-nothing: units and functions row by row through the services in
   `people/services.py`; people through `employee_bulk_import`, because the per-row services took
   90 s for 10,000 people on SQLite (full_clean queries every constraint and foreign key per row).

Exports write the same columns as the templates, so an export can be edited and imported again.
"""

from __future__ import annotations

import csv
import datetime
import io
import logging
import re
import threading
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, connections, models, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from leerplek.core import audit
from leerplek.core.access import Access
from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from leerplek.people import services
from leerplek.people.models import (
    AssignmentReason,
    DutchLevel,
    EducationLevel,
    Employee,
    ExitReason,
    Gender,
    ImportJob,
    ImportKind,
    ImportStatus,
    Job,
    JobAssignment,
    JobTask,
    Organisation,
    OrgUnit,
    PersonType,
    TaskKind,
    UnitKind,
    User,
)

logger = logging.getLogger(__name__)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD_MB = 20
# A zip bomb inflates a small upload into gigabytes; a real 50,000-row sheet stays far below this.
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
# At most this many problems are kept; a file with more is wrong in a way the first ones show.
MAX_PROBLEMS = 10_000
# An import still "running" after this long died with its process (its transaction rolled back).
STALE_AFTER = datetime.timedelta(minutes=30)
IMPORT_ROLES = frozenset({Role.HR, Role.ADMIN})


def max_rows() -> int:
    return int(settings.LEERPLEK.get("IMPORT_MAX_ROWS", 50_000))


def inline_max_rows() -> int:
    """Files up to this many rows are imported in the request; larger ones in a thread."""
    return int(settings.LEERPLEK.get("IMPORT_INLINE_MAX_ROWS", 200))


# --- Problems ------------------------------------------------------------------------------------

ERRORS: dict[str, str | Promise] = {
    # The file as a whole (row 0) or its header row (row 1).
    "file_unreadable": _(
        "The file could not be read. Save it from Excel as an Excel workbook (.xlsx) or as CSV "
        "and upload it again."
    ),
    "empty_file": _(
        "The file is empty. Put the column names of the template in the first row and one row "
        "per record under it."
    ),
    "no_rows": _("There are no rows under the column names. Add at least one row."),
    "too_many_rows": _(
        "The file has more than %(max)s rows. Split it into files of at most %(max)s rows."
    ),
    "unknown_column": _(
        'Unknown column "%(value)s". Rename it to one of the columns of the template '
        "(%(allowed)s) or delete it."
    ),
    "duplicate_column": _("The column %(column)s appears twice. Delete one of them."),
    "missing_column": _(
        "The column %(column)s is missing. Add it to the first row, as in the template."
    ),
    "missing_identity_column": _(
        "Add a column email or employee_number, so that every person can be recognised."
    ),
    "unnamed_column": _(
        "Column %(letter)s has values but no column name. Give it a name from the template or "
        "delete it."
    ),
    # One cell.
    "required": _("Fill in %(column)s; it cannot be empty."),
    "too_long": _("This is %(length)s characters long; shorten it to at most %(max)s."),
    "bad_choice": _(
        '"%(value)s" is not a known %(column)s. Use one of: %(allowed)s, or its name in Dutch, '
        "French or English."
    ),
    "bad_date": _(
        '"%(value)s" is not a date. Write it as 2024-03-31 or 31/03/2024, or use an Excel date '
        "cell."
    ),
    "bad_integer": _(
        '"%(value)s" is not a whole number from %(min)s to %(max)s. Write a whole number, '
        "e.g. %(example)s."
    ),
    "bad_decimal": _(
        '"%(value)s" is not a number from %(min)s to %(max)s with at most one decimal. '
        "Write e.g. 3.5 or 3,5."
    ),
    "bad_email": _('"%(value)s" is not a valid email address. Correct it, e.g. an@example.com.'),
    "bad_languages": _(
        'Write the languages as two- or three-letter codes separated by commas, e.g. "nl, fr, '
        'pl"; "%(value)s" is not such a code.'
    ),
    "bad_task": _(
        'Write each task as kind: description, separated by semicolons, e.g. "executive: Mix '
        'sauces; preparatory: Weigh ingredients". "%(value)s" does not follow that.'
    ),
    "bad_task_kind": _('"%(value)s" is not a kind of task. Use one of: %(allowed)s.'),
    "task_too_long": _('A task may have at most %(max)s characters; shorten "%(value)s".'),
    "duplicate_in_file": _(
        '%(column)s "%(value)s" also appears on row %(other)s. Each %(column)s may appear only '
        "once in a file; merge or correct the rows."
    ),
    # References between rows and to the organisation's data.
    "ambiguous_unit": _(
        'Several units are called or coded "%(value)s". Refer to the unit by a code that only '
        "it has; give it one first if needed."
    ),
    "unknown_parent": _(
        'No unit with code "%(value)s" in this file or in this organisation. Correct the code, '
        "add that unit to the file, or leave parent empty for a top-level unit."
    ),
    "unit_cycle": _(
        "This parent makes a loop: %(path)s. A unit cannot be placed under itself or under one "
        "of its own sub-units; choose another parent."
    ),
    "duplicate_unit_name": _(
        'Another unit under the same parent is also called "%(value)s". Give one of them '
        "another name."
    ),
    "unknown_leader": _(
        "No person with email %(value)s in this organisation. Import the people first, or leave "
        "leader empty and set it later."
    ),
    "unknown_unit": _(
        'No unit with code "%(value)s" in this organisation. Import the units first, or correct '
        "the code."
    ),
    "unknown_job": _(
        'No function with code "%(value)s" in this organisation. Import the functions first, or '
        "correct the code."
    ),
    "unknown_manager": _(
        "No person with email %(value)s in this file or in this organisation. Correct the "
        "address, or add the manager to the file."
    ),
    "missing_identity": _(
        "Fill in email or employee_number, so that a later import can find this person again."
    ),
    "ambiguous_number": _(
        "Several people in this organisation have employee number %(value)s. Give each their "
        "own number first, or leave it empty and identify this row by email."
    ),
    "identity_conflict": _(
        "This email address belongs to %(email_person)s, but employee number %(number)s to "
        "%(number_person)s. Correct one of the two."
    ),
    "email_taken": _(
        "This email address already belongs to %(person)s, who has employee number %(number)s. "
        "Correct the email address or the employee number."
    ),
    "own_manager": services.ERRORS["own_manager"],
    "exit_before_hire": services.ERRORS["exit_before_hire"],
    "exit_reason_missing": services.ERRORS["exit_reason_missing"],
    "job_removal": _(
        "An import cannot take a function away. Fill in the person's function code again, or "
        "another function."
    ),
    "job_change_too_soon": _(
        "The current function only started on %(date)s, and an import changes a function from "
        "today. Change it on the person's page instead."
    ),
    "conflict": _(
        "The data changed while the import ran. Upload the file again, so it is checked against "
        "the current data."
    ),
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the file: `row` 0 is the file itself, row 1 its column names."""

    row: int
    column: str
    value: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    letter: str = ""

    @property
    def message(self) -> str:
        """The message in the active language (kept as code and parameters until shown)."""
        if self.code == "refused":  # a service's own, already translated, message
            return str(self.params.get("message", ""))
        return str(ERRORS[self.code]) % ({"value": self.value, "column": self.column} | self.params)

    def as_json(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "letter": self.letter,
            "value": self.value,
            "code": self.code,
            "params": self.params,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Problem:
        return cls(
            row=data["row"],
            column=data["column"],
            value=data["value"],
            code=data["code"],
            params=data.get("params") or {},
            letter=data.get("letter", ""),
        )


class ImportRefusedError(Exception):
    """The rows do not pass validation; raised inside the transaction to roll it back."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


# --- Columns -------------------------------------------------------------------------------------

REQUIRED = "required"  # an empty cell is an error
DEFAULT = "default"  # an empty cell keeps the current value, or takes the default for a new row
CLEAR = "clear"  # an empty cell clears the value


@dataclass(frozen=True)
class Column:
    key: str
    help: str | Promise
    empty: str = CLEAR
    example: str = ""
    choices: type[models.TextChoices] | None = None
    default: str = ""
    width: int = 16


UNIT_COLUMNS = [
    Column("name", _("The unit's name, e.g. Packaging."), REQUIRED, "Production", width=28),
    Column(
        "code",
        _(
            "A short code that identifies the unit; the unit with this code is updated. Other "
            "rows and the people file refer to a unit by its code, or by its name when it has "
            "no code. Empty keeps the unit's code."
        ),
        DEFAULT,
        "PROD",
    ),
    Column("kind", _("What kind of unit it is."), REQUIRED, "department", UnitKind),
    Column(
        "parent",
        _(
            "Code of the unit above this one, in this file (also further down) or already in "
            "Leerplek. Empty: a top-level unit."
        ),
        example="",
    ),
    Column(
        "leader",
        _("Email address of the unit's leader, a person already in Leerplek. May stay empty."),
        width=28,
    ),
]

JOB_COLUMNS = [
    Column(
        "code",
        _(
            "A short code that identifies the function. The people file refers to it; a "
            "function that already has this code is updated."
        ),
        REQUIRED,
        "OPR-MIX",
    ),
    Column("name", _("The function's name."), REQUIRED, "Mixer operator", width=28),
    Column("description", _("The job description."), example="Mixes sauces.", width=40),
    Column("classification", _("The function classification, e.g. class 3."), example="3"),
    Column(
        "months_to_independence",
        _("Target number of months until a newcomer works independently (whole number)."),
        DEFAULT,
        "6",
        default="6",
    ),
    Column(
        "review_interval_days",
        _("Default number of days between follow-up reviews (whole number)."),
        DEFAULT,
        "30",
        default="30",
    ),
    Column(
        "tasks",
        _(
            "The tasks, each as kind: description, separated by semicolons. The list replaces "
            "the function's tasks; empty removes them."
        ),
        example="executive: Mix sauces; preparatory: Weigh ingredients",
        choices=TaskKind,
        width=50,
    ),
]

PEOPLE_COLUMNS = [
    Column(
        "employee_number",
        _("The personnel number. A person with this number, or this email, is updated."),
        example="1001",
    ),
    Column("first_name", _("First name."), REQUIRED, "An"),
    Column("last_name", _("Last name."), REQUIRED, "Peeters"),
    Column(
        "email",
        _("Email address; unique in the organisation. Fill in email or employee_number."),
        example="an.peeters@example.com",
        width=28,
    ),
    Column("person_type", _("The kind of person."), DEFAULT, "employee", PersonType, "employee"),
    Column("gender", _("Gender."), REQUIRED, "f", Gender),
    Column("birth_date", _("Birth date."), example="1990-05-17"),
    Column("hire_date", _("Date of entry into service."), REQUIRED, "2024-03-01"),
    Column("exit_date", _("Date of leaving, if the person left or will leave.")),
    Column("exit_reason", _("Reason for leaving; needed with an exit date."), choices=ExitReason),
    Column("unit", _("Code of the person's unit, already in Leerplek."), example="PROD"),
    Column(
        "function",
        _(
            "Code of the person's function, already in Leerplek. A changed function starts "
            "today; it cannot be emptied by an import."
        ),
        example="OPR-MIX",
    ),
    Column(
        "manager",
        _("Email address of the person's manager, in this file or already in Leerplek."),
        width=28,
    ),
    Column("languages", _("Language codes separated by commas."), example="nl, fr"),
    Column("dutch_level", _("Dutch proficiency."), DEFAULT, "native", DutchLevel, "native"),
    Column(
        "education_level",
        _("Highest education level."),
        DEFAULT,
        "bachelor",
        EducationLevel,
        "unknown",
    ),
    Column(
        "experience_years",
        _("Years of occupational experience, at most one decimal."),
        DEFAULT,
        "3.5",
        default="0",
    ),
]

COLUMNS: dict[str, list[Column]] = {
    ImportKind.UNITS: UNIT_COLUMNS,
    ImportKind.JOBS: JOB_COLUMNS,
    ImportKind.PEOPLE: PEOPLE_COLUMNS,
}
# At least one of these per kind must be a column (people are recognised by either).
IDENTITY_COLUMNS: dict[str, tuple[str, ...]] = {ImportKind.PEOPLE: ("email", "employee_number")}


@dataclass(frozen=True)
class ExtraColumns:
    """Columns a kind accepts beyond its list, recognised by their name (e.g. one per level of a
    scale, "level U"). `key_of` turns a column name into its key, or None when it is not one."""

    key_of: Callable[[str], str | None]
    name: str | Promise  # how such a column is named, e.g. "level <code>"
    help: str | Promise


EXTRA_COLUMNS: dict[str, ExtraColumns] = {}


def _allowed_columns(kind: str) -> str:
    names = [column.key for column in COLUMNS[kind]]
    if kind in EXTRA_COLUMNS:
        names.append(str(EXTRA_COLUMNS[kind].name))
    return ", ".join(names)


def _header_key(text: str) -> str:
    """Column names match whatever the case, spaces, hyphens or underscores."""
    return re.sub(r"[^a-z0-9]", "", text.casefold())


# --- Choice values in three languages ------------------------------------------------------------

# Words SMEs write in Excel besides the codes and the interface labels. Kept here, not only in the
# translation catalogues, so that a reworded label never breaks a file that imported before.
ALIASES: dict[type[models.TextChoices], dict[str, tuple[str, ...]]] = {
    PersonType: {
        "employee": (
            "werknemer",
            "eigen werknemer",
            "eigen personeel",
            "bediende",
            "arbeider",
            "travailleur",
            "travailleur propre",
            "salarie",
            "employe",
            "ouvrier",
        ),
        "agency": (
            "uitzendkracht",
            "interim",
            "interimaire",
            "uitzendarbeid",
            "travailleur interimaire",
            "agency worker",
            "temp",
        ),
        "apprentice": ("leerling", "ilw", "leerjongere", "duaal", "apprenti", "apprentie"),
        "vdab_trainee": ("vdab", "vdab cursist", "cursist vdab", "stagiaire vdab"),
        "intern": ("stagiair", "stagiaire", "stage"),
        "ibo": ("ibo", "ibo cursist", "fpi", "stagiaire fpi"),
        "job_seeker": ("werkzoekende", "demandeur d emploi", "demandeuse d emploi"),
        "external_trainer": (
            "externe opleider",
            "externe lesgever",
            "formateur externe",
            "formatrice externe",
        ),
    },
    Gender: {
        "m": ("man", "male", "mannelijk", "homme", "h", "masculin"),
        "f": ("vrouw", "v", "female", "woman", "vrouwelijk", "femme", "feminin"),
        "x": ("ander", "andere", "anders", "other", "autre", "niet opgegeven", "non precise"),
    },
    DutchLevel: {
        "none": ("geen", "geen nederlands", "aucun", "pas de neerlandais", "no dutch"),
        "native": ("moedertaal", "moedertaalspreker", "langue maternelle", "native"),
    },
    EducationLevel: {
        "primary": ("lager onderwijs", "basisonderwijs", "primaire", "enseignement primaire"),
        "lower_secondary": ("lager secundair", "secondaire inferieur"),
        "higher_secondary": ("hoger secundair", "secundair", "secondaire superieur"),
        "bachelor": ("bachelor", "professionele bachelor", "graduaat"),
        "master": ("master", "licentiaat", "doctoraat", "doctorat", "licence"),
        "unknown": ("onbekend", "inconnu", "unknown"),
    },
    ExitReason: {
        "resignation": ("ontslag door werknemer", "ontslag genomen", "demission"),
        "dismissal": ("ontslag door werkgever", "licenciement"),
        "retirement": ("pensioen", "pension", "retraite"),
        "end_of_contract": ("einde contract", "einde overeenkomst", "fin de contrat"),
        "other": ("ander", "andere", "autre"),
    },
    UnitKind: {
        "site": ("vestiging", "locatie", "site", "siege"),
        "department": ("afdeling", "departement", "service"),
        "team": ("team", "equipe"),
        "shift": ("ploeg", "shift", "pause", "poste"),
        "cell": ("cel", "cellule"),
        "line": ("lijn", "productielijn", "ligne", "ligne de production"),
        "zone": ("zone",),
    },
    TaskKind: {
        "executive": ("uitvoerend", "uitvoerende", "execution", "executif", "executive"),
        "preparatory": ("voorbereidend", "voorbereidende", "preparatoire", "preparation"),
        "supporting": ("ondersteunend", "ondersteunende", "soutien", "de soutien", "support"),
    },
}


def normalise(text: str) -> str:
    """Lower case, without accents, with every run of other characters made one space."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in plain if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain.casefold()).split())


@cache
def choice_lookup(choices: type[models.TextChoices]) -> dict[str, str]:
    """Every accepted spelling (normalised) of each value: the code, the label in nl, fr and en,
    and the aliases above. A spelling that would mean two values is left out; codes always win."""
    candidates: dict[str, set[str]] = defaultdict(set)
    for value in choices.values:
        for spelling in ALIASES.get(choices, {}).get(value, ()):
            candidates[normalise(spelling)].add(value)
    for language in ("en", "nl", "fr"):
        with translation.override(language):
            for value, label in choices.choices:
                candidates[normalise(str(label))].add(value)
    lookup = {key: next(iter(values)) for key, values in candidates.items() if len(values) == 1}
    lookup.update({normalise(value): value for value in choices.values})
    return lookup


def allowed_codes(choices: type[models.TextChoices]) -> str:
    return ", ".join(str(value) for value in choices.values)


# --- Reading files -------------------------------------------------------------------------------


class UnreadableFileError(Exception):
    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.problem = Problem(row=0, column="", value="", code=code, params=params)


@dataclass
class Table:
    """The cells of a file as text, under the known column keys.

    `rows` holds (row number as Excel shows it, cells in the order of `columns`); empty rows are
    left out. Dates from Excel date cells arrive as ISO text, numbers without a trailing ".0".
    """

    kind: str
    columns: list[str]
    letters: dict[str, str]
    rows: list[tuple[int, list[str]]]
    problems: list[Problem] = field(default_factory=list)
    _by_row: dict[int, list[str]] | None = field(default=None, repr=False)

    def cells(self, row: int) -> dict[str, str]:
        """The cells of `row` by column key."""
        if self._by_row is None:
            self._by_row = dict(self.rows)
        return dict(zip(self.columns, self._by_row.get(row, []), strict=False))

    def as_json(self) -> dict[str, Any]:
        return {"columns": self.columns, "letters": self.letters, "rows": self.rows}

    @classmethod
    def from_json(cls, kind: str, data: dict[str, Any]) -> Table:
        return cls(
            kind=kind,
            columns=list(data["columns"]),
            letters=dict(data["letters"]),
            rows=[(int(number), list(cells)) for number, cells in data["rows"]],
        )


def cell_text(value: Any) -> str:
    """The text of one spreadsheet cell, as the validators expect it."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        # Excel stores every number as a float: 1001 arrives as 1001.0, 3.5 as 3.5.
        return str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")
    # PostgreSQL refuses NUL characters in text; nobody means to type them.
    return str(value).replace("\x00", "").strip()


def _xlsx_rows(content: bytes) -> Iterator[list[Any]]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise UnreadableFileError("file_unreadable")
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            # The first sheet holds the data; a template's second sheet explains the columns.
            for values in book.worksheets[0].iter_rows(values_only=True):
                yield list(values)
        finally:
            book.close()
    except UnreadableFileError:
        raise
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
        logger.info("unreadable xlsx upload: %r", error)
        raise UnreadableFileError("file_unreadable") from error


def _csv_rows(content: bytes) -> Iterator[list[Any]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the ANSI code page, Windows-1252 in Belgium.
        text = content.decode("cp1252", errors="replace")
    first_line = text.split("\n", 1)[0]
    # Excel with Belgian settings separates with semicolons; elsewhere with commas.
    delimiter = max([";", ",", "\t"], key=first_line.count)
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as error:
        raise UnreadableFileError("file_unreadable") from error


def file_format(name: str) -> str | None:
    lowered = name.lower()
    if lowered.endswith(".xlsx"):
        return "xlsx"
    if lowered.endswith(".csv"):
        return "csv"
    return None


def read_table(*, kind: str, name: str, content: bytes) -> Table:
    """Read an XLSX or CSV file (by its name) into a Table of text cells.

    Checks the header (unknown, doubled, missing and unnamed columns) and the number of rows;
    these are returned as problems. Raises UnreadableFileError when the file cannot be read at all.
    """
    fmt = file_format(name)
    if fmt == "xlsx" and not content.startswith(b"PK"):
        raise UnreadableFileError("file_unreadable")
    # Rows are numbered as Excel shows them; empty rows are skipped but counted.
    rows = enumerate(_xlsx_rows(content) if fmt == "xlsx" else _csv_rows(content), start=1)
    header: list[Any] | None = None
    header_row = 0
    for number, values in rows:
        if any(cell_text(value) for value in values):
            header, header_row = values, number
            break
    if header is None:
        raise UnreadableFileError("empty_file")
    known = {_header_key(column.key): column.key for column in COLUMNS[kind]}
    problems: list[Problem] = []
    positions: list[tuple[int, str]] = []
    unnamed: list[int] = []
    seen: set[str] = set()
    for index, value in enumerate(header):
        text = cell_text(value)
        letter = get_column_letter(index + 1)
        if not text:
            unnamed.append(index)
            continue
        key = known.get(_header_key(text))
        if key is None and kind in EXTRA_COLUMNS:
            key = EXTRA_COLUMNS[kind].key_of(text)
        if key is None:
            problems.append(
                Problem(
                    header_row,
                    "",
                    text,
                    "unknown_column",
                    {"allowed": _allowed_columns(kind)},
                    letter,
                )
            )
        elif key in seen:
            problems.append(Problem(header_row, key, text, "duplicate_column", {}, letter))
        else:
            seen.add(key)
            positions.append((index, key))
    for column in COLUMNS[kind]:
        if column.empty == REQUIRED and column.key not in seen:
            problems.append(Problem(header_row, column.key, "", "missing_column"))
    identity = IDENTITY_COLUMNS.get(kind)
    if identity and not seen.intersection(identity):
        problems.append(Problem(header_row, "", "", "missing_identity_column"))

    table_rows: list[tuple[int, list[str]]] = []
    reported_unnamed: set[int] = set()
    limit = max_rows()
    for number, values in rows:
        texts = [cell_text(value) for value in values]
        if not any(texts):
            continue
        for index in unnamed:
            if index < len(texts) and texts[index] and index not in reported_unnamed:
                reported_unnamed.add(index)
                letter = get_column_letter(index + 1)
                problems.append(
                    Problem(number, "", texts[index], "unnamed_column", {"letter": letter}, letter)
                )
        for index in range(len(header), len(texts)):
            if texts[index] and index not in reported_unnamed:
                reported_unnamed.add(index)
                letter = get_column_letter(index + 1)
                problems.append(
                    Problem(number, "", texts[index], "unnamed_column", {"letter": letter}, letter)
                )
        if len(table_rows) >= limit:
            problems.append(Problem(0, "", "", "too_many_rows", {"max": limit}))
            break
        table_rows.append(
            (number, [texts[index] if index < len(texts) else "" for index, _key in positions])
        )
    if not table_rows and not problems:
        problems.append(Problem(0, "", "", "no_rows"))
    return Table(
        kind=kind,
        columns=[key for _index, key in positions],
        letters={key: get_column_letter(index + 1) for index, key in positions},
        rows=table_rows,
        problems=problems,
    )


# --- Reading values ------------------------------------------------------------------------------

ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
DMY_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


class RowReader:
    """Reads the cells of one row into Python values, collecting a Problem for each bad cell."""

    def __init__(self, table: Table, number: int, cells: list[str], problems: list[Problem]):
        self.table = table
        self.number = number
        self.cells = dict(zip(table.columns, cells, strict=True))
        self.problems = problems

    def has(self, key: str) -> bool:
        """Whether the file has this column (a missing column leaves the value alone)."""
        return key in self.cells

    def raw(self, key: str) -> str:
        return self.cells.get(key, "")

    def problem(self, key: str, code: str, **params: Any) -> None:
        value = self.raw(key)
        self.problems.append(
            Problem(self.number, key, value[:200], code, params, self.table.letters.get(key, ""))
        )

    def text(self, key: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = self.raw(key)
        if required and not value and self.has(key):
            self.problem(key, "required")
        elif max_length is not None and len(value) > max_length:
            self.problem(key, "too_long", length=len(value), max=max_length)
        return value

    def choice(self, key: str, choices: type[models.TextChoices], *, required: bool) -> str:
        value = self.raw(key)
        if not value:
            if required and self.has(key):
                self.problem(key, "required")
            return ""
        found = choice_lookup(choices).get(normalise(value))
        if found is None:
            self.problem(key, "bad_choice", allowed=allowed_codes(choices))
            return ""
        return found

    def date(self, key: str, *, required: bool = False) -> datetime.date | None:
        value = self.raw(key)
        if not value:
            if required and self.has(key):
                self.problem(key, "required")
            return None
        parsed = parse_date(value)
        if parsed is None:
            self.problem(key, "bad_date")
        return parsed

    def integer(self, key: str, *, minimum: int, maximum: int, example: str) -> int | None:
        value = self.raw(key)
        if not value:
            return None
        try:
            number = int(value)
        except ValueError:
            number = None
        if number is None or not minimum <= number <= maximum:
            self.problem(key, "bad_integer", min=minimum, max=maximum, example=example)
            return None
        return number

    def decimal(self, key: str, *, maximum: Decimal) -> Decimal | None:
        value = self.raw(key)
        if not value:
            return None
        try:
            number = Decimal(value.replace(",", "."))
        except InvalidOperation:
            number = None
        if (
            number is None
            or not number.is_finite()
            or not Decimal(0) <= number <= maximum
            or number != number.quantize(Decimal("0.1"))
        ):
            self.problem(key, "bad_decimal", min=0, max=str(maximum))
            return None
        return number.quantize(Decimal("0.1"))

    def email(self, key: str) -> str:
        value = self.raw(key).lower()
        if not value:
            return ""
        try:
            validate_email(value)
        except ValidationError:
            self.problem(key, "bad_email")
            return ""
        if len(value) > 254:
            self.problem(key, "too_long", length=len(value), max=254)
            return ""
        return value


def parse_date(text: str) -> datetime.date | None:
    """ISO (2024-03-31) or Belgian (31/03/2024, 31-03-2024, 31.03.2024) dates; None otherwise."""
    match = ISO_DATE.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
    else:
        match = DMY_DATE.match(text)
        if not match:
            return None
        day, month, year = (int(part) for part in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _max_length(model: type[models.Model], name: str) -> int:
    length = model._meta.get_field(name).max_length  # type: ignore[union-attr]
    assert length is not None
    return int(length)


def _duplicates(
    reader: RowReader, key: str, value: str, seen: dict[str, int], *, label: str | None = None
) -> None:
    """Report `value` when an earlier row already used it in column `key`."""
    if not value:
        return
    folded = value.casefold()
    if folded in seen:
        reader.problem(key, "duplicate_in_file", other=seen[folded])
    else:
        seen[folded] = reader.number


# --- Validation: plans ---------------------------------------------------------------------------


@dataclass
class Plan:
    """What an import would do. Built without writing; `problems` empty means it may run."""

    kind: str
    problems: list[Problem]
    create_count: int = 0
    update_count: int = 0
    unchanged_count: int = 0
    items: list[Any] = field(default_factory=list)


@dataclass
class UnitItem:
    row: int
    key: str  # "id:<pk>" for an existing unit, "new:<row>" for a new one
    unit_id: int | None
    values: dict[str, Any]  # name, code, kind, leader_id: all for a new unit, the changes else
    parent_key: str | None = None
    move: bool = False  # an existing unit gets another parent
    depth: int = 0


class UnitIndex:
    """Finds units the way files refer to them: by code, else by name (when one unit has it)."""

    def __init__(self, units: Iterable[tuple[int, str, str]]) -> None:
        self.by_code: dict[str, list[int]] = defaultdict(list)
        self.by_name: dict[str, list[int]] = defaultdict(list)
        self.without_code: set[int] = set()
        for pk, code, name in units:
            if code:
                self.by_code[code.casefold()].append(pk)
            else:
                self.without_code.add(pk)
            self.by_name[name.casefold()].append(pk)

    def find(self, text: str) -> list[int]:
        folded = text.casefold()
        return self.by_code.get(folded) or self.by_name.get(folded) or []

    @classmethod
    def of(cls, organisation: Organisation) -> UnitIndex:
        return cls(
            OrgUnit.objects.filter(organisation=organisation).values_list("id", "code", "name")
        )


def validate_units(*, organisation: Organisation, table: Table) -> Plan:
    """Check a units file: values, identity (code, else name), parents (also further down the
    file), loops, names under one parent and leaders. Two queries whatever the size."""
    problems = list(table.problems)
    existing: dict[int, dict[str, Any]] = {
        row["id"]: dict(row)
        for row in OrgUnit.objects.filter(organisation=organisation).values(
            "id", "code", "name", "kind", "parent_id", "leader_id"
        )
    }
    index = UnitIndex((pk, row["code"], row["name"]) for pk, row in existing.items())
    leader_ids = {
        email.lower(): pk
        for email, pk in Employee.objects.filter(organisation=organisation)
        .exclude(email="")
        .values_list("email", "id")
    }

    items: list[UnitItem] = []
    parent_refs: dict[int, str | None] = {}  # row → parent written (None: no parent column)
    seen_codes: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    file_codes: dict[str, str] = {}  # code → key
    file_names: dict[str, set[str]] = defaultdict(set)  # name → keys
    for number, cells in table.rows:
        reader = RowReader(table, number, cells, problems)
        code = reader.text("code", max_length=_max_length(OrgUnit, "code"))
        name = reader.text("name", required=True, max_length=_max_length(OrgUnit, "name"))
        kind = reader.choice("kind", UnitKind, required=True)
        values: dict[str, Any] = {"name": name, "kind": kind}
        if code:
            values["code"] = code
            _duplicates(reader, "code", code, seen_codes)
            # Not known by its code: the unit without a code that has this name gets the code.
            matches = index.by_code.get(code.casefold()) or [
                pk for pk in index.by_name.get(name.casefold(), []) if pk in index.without_code
            ]
        else:
            _duplicates(reader, "name", name, seen_names)
            matches = index.by_name.get(name.casefold(), [])
        if len(matches) > 1:
            reader.problem("code" if code else "name", "ambiguous_unit")
        unit_id = matches[0] if len(matches) == 1 else None
        key = f"id:{unit_id}" if unit_id else f"new:{number}"
        if code:
            file_codes.setdefault(code.casefold(), key)
        file_names[name.casefold()].add(key)
        if reader.has("leader"):
            leader_email = reader.email("leader")
            leader_id = leader_ids.get(leader_email) if leader_email else None
            if leader_email and leader_id is None:
                reader.problem("leader", "unknown_leader")
            values["leader_id"] = leader_id
        parent_refs[number] = reader.raw("parent") if reader.has("parent") else None
        items.append(UnitItem(row=number, key=key, unit_id=unit_id, values=values))

    def resolve(ref: str) -> set[str]:
        folded = ref.casefold()
        if folded in file_codes:
            return {file_codes[folded]}
        if index.by_code.get(folded):
            return {f"id:{pk}" for pk in index.by_code[folded]}
        return file_names.get(folded, set()) | {f"id:{pk}" for pk in index.by_name.get(folded, [])}

    # The tree after the import. Parents may be defined further down the file.
    parent_of: dict[str, str | None] = {
        f"id:{pk}": (f"id:{row['parent_id']}" if row["parent_id"] else None)
        for pk, row in existing.items()
    }
    label_of = {f"id:{pk}": row["code"] or row["name"] for pk, row in existing.items()}
    for item in items:
        label_of[item.key] = (
            item.values.get("code") or label_of.get(item.key) or item.values["name"]
        )
        ref = parent_refs[item.row]
        if ref is None:  # no parent column: an existing unit stays where it is
            item.parent_key = parent_of.get(item.key)
        elif not ref:
            item.parent_key = None
        elif len(found := resolve(ref)) == 1:
            item.parent_key = found.pop()
        else:
            code = "ambiguous_unit" if found else "unknown_parent"
            _row_problem(table, problems, item.row, "parent", code)
            item.parent_key = parent_of.get(item.key)
        parent_of[item.key] = item.parent_key

    # Loops: walk up from every row. A row that comes back to itself is on a loop and says so;
    # a row that only hangs under a loop is left to the rows on it.
    for item in items:
        walk = [item.key]
        current = parent_of.get(item.key)
        while current is not None and current not in walk:
            walk.append(current)
            current = parent_of.get(current)
        if current is None:
            item.depth = len(walk) - 1
        elif current == item.key:
            path = " → ".join(label_of[key] for key in [*walk, current])
            _row_problem(table, problems, item.row, "parent", "unit_cycle", path=path)

    # Names are unique under one parent (top-level units may share a name, as in the database).
    name_of = {f"id:{pk}": row["name"] for pk, row in existing.items()}
    name_of.update({item.key: item.values["name"] for item in items})
    siblings: dict[tuple[str, str], int] = defaultdict(int)
    for key, parent_key in parent_of.items():
        if parent_key is not None:
            siblings[(parent_key, name_of[key])] += 1
    for item in items:
        if item.parent_key is not None and siblings[(item.parent_key, item.values["name"])] > 1:
            _row_problem(table, problems, item.row, "name", "duplicate_unit_name")

    plan = Plan(kind=ImportKind.UNITS, problems=problems)
    for item in items:
        if item.unit_id is None:
            plan.create_count += 1
            plan.items.append(item)
            continue
        row = existing[item.unit_id]
        item.values = {key: value for key, value in item.values.items() if row[key] != value}
        item.move = item.parent_key != parent_of_before(row)
        if item.values or item.move:
            plan.update_count += 1
            plan.items.append(item)
        else:
            plan.unchanged_count += 1
    # Parents first: a unit is created or moved after every unit above it.
    plan.items.sort(key=lambda unit_item: unit_item.depth)
    return plan


def parent_of_before(row: dict[str, Any]) -> str | None:
    return f"id:{row['parent_id']}" if row["parent_id"] else None


def _row_problem(
    table: Table, problems: list[Problem], row: int, key: str, code: str, **params: Any
) -> None:
    """A problem found after the row was read (references between rows)."""
    cells = table.cells(row)
    problems.append(
        Problem(row, key, cells.get(key, "")[:200], code, params, table.letters.get(key, ""))
    )


@dataclass
class JobItem:
    row: int
    job_id: int | None
    values: dict[str, Any]
    tasks: list[services.TaskLine] | None  # None: leave the tasks alone


def parse_tasks(text: str) -> tuple[list[services.TaskLine], list[tuple[str, str, dict[str, Any]]]]:
    """Tasks written as "kind: description; kind: description" (also one per line).

    Returns the tasks and the problems as (code, value, params)."""
    tasks: list[services.TaskLine] = []
    problems: list[tuple[str, str, dict[str, Any]]] = []
    limit = _max_length(JobTask, "description")
    for part in re.split(r"[;\n]", text):
        part = part.strip()
        if not part:
            continue
        kind_text, colon, description = part.partition(":")
        description = description.strip()
        if not colon or not description:
            problems.append(("bad_task", part, {}))
            continue
        kind = choice_lookup(TaskKind).get(normalise(kind_text))
        if kind is None:
            problems.append(
                ("bad_task_kind", kind_text.strip(), {"allowed": allowed_codes(TaskKind)})
            )
            continue
        if len(description) > limit:
            problems.append(("task_too_long", description[:40] + "…", {"max": limit}))
            continue
        tasks.append(services.TaskLine(kind=kind, description=description))
    return tasks, problems


def validate_jobs(*, organisation: Organisation, table: Table) -> Plan:
    """Check a functions file: values, codes (once per file) and tasks. Two queries."""
    problems = list(table.problems)
    jobs = {job.code.casefold(): job for job in Job.objects.filter(organisation=organisation)}
    tasks_of: dict[int, list[services.TaskLine]] = defaultdict(list)
    for job_id, kind, description in JobTask.objects.filter(
        job__organisation=organisation
    ).values_list("job_id", "kind", "description"):
        tasks_of[job_id].append(services.TaskLine(kind=kind, description=description))
    plan = Plan(kind=ImportKind.JOBS, problems=problems)
    seen: dict[str, int] = {}
    for number, cells in table.rows:
        reader = RowReader(table, number, cells, problems)
        code = reader.text("code", required=True, max_length=_max_length(Job, "code"))
        values: dict[str, Any] = {
            "code": code,
            "name": reader.text("name", required=True, max_length=_max_length(Job, "name")),
        }
        _duplicates(reader, "code", code, seen)
        existing = jobs.get(code.casefold()) if code else None
        if reader.has("description"):
            values["description"] = reader.text("description")
        if reader.has("classification"):
            values["classification"] = reader.text(
                "classification", max_length=_max_length(Job, "classification")
            )
        for key, example in (("months_to_independence", "6"), ("review_interval_days", "30")):
            if reader.has(key):
                number_value = reader.integer(key, minimum=0, maximum=32767, example=example)
                if number_value is not None:
                    values[key] = number_value
        tasks: list[services.TaskLine] | None = None
        if reader.has("tasks"):
            tasks, task_problems = parse_tasks(reader.raw("tasks"))
            for code_, value, params in task_problems:
                problems.append(
                    Problem(number, "tasks", value, code_, params, table.letters.get("tasks", ""))
                )
        if existing is None:
            plan.create_count += 1
            plan.items.append(JobItem(number, None, values, tasks))
            continue
        changed = {key: value for key, value in values.items() if getattr(existing, key) != value}
        if tasks is not None and tasks == tasks_of.get(existing.pk, []):
            tasks = None
        if changed or tasks is not None:
            plan.update_count += 1
            plan.items.append(JobItem(number, existing.pk, changed, tasks))
        else:
            plan.unchanged_count += 1
    return plan


# People ------------------------------------------------------------------------------------------

# The Employee fields an import sets, in the order of the file.
PERSON_FIELDS = [
    "employee_number",
    "first_name",
    "last_name",
    "email",
    "person_type",
    "gender",
    "birth_date",
    "hire_date",
    "exit_date",
    "exit_reason",
    "unit_id",
    "manager_id",
    "languages",
    "dutch_level",
    "education_level",
    "experience_years",
]


@dataclass
class PersonItem:
    row: int
    employee: Employee | None  # the existing person, or None for a new one
    values: dict[str, Any]  # field → new value (manager_id filled in by validation)
    manager_ref: str | int | None = None  # existing pk, or the email of a new person in the file
    set_manager: bool = False
    job_id: int | None = None
    set_job: bool = False
    close_assignment_id: int | None = None  # the open assignment that a new function closes
    changed: list[str] = field(default_factory=list)


def _languages(reader: RowReader) -> str:
    value = reader.raw("languages")
    codes = [part for part in re.split(r"[\s,;/]+", value.lower()) if part]
    for code in codes:
        if not LANGUAGE_CODE.match(code):
            reader.problems.append(
                Problem(
                    reader.number,
                    "languages",
                    code,
                    "bad_languages",
                    {},
                    reader.table.letters.get("languages", ""),
                )
            )
            return ""
    text = ", ".join(dict.fromkeys(codes))
    limit = _max_length(Employee, "languages")
    if len(text) > limit:
        reader.problem("languages", "too_long", length=len(text), max=limit)
        return ""
    return text


def _same(key: str, old: Any, new: Any) -> bool:
    """Whether a value is unchanged; "nl,fr" written as "nl, fr" is no change."""
    if key == "languages":
        return [code.strip() for code in str(old).lower().split(",") if code.strip()] == [
            code.strip() for code in str(new).split(",") if code.strip()
        ]
    return bool(old == new)


def _read_person(reader: RowReader, units: UnitIndex, jobs: dict[str, int]) -> PersonItem:
    """The values of one people row; references to units and functions resolved."""
    values: dict[str, Any] = {}
    for key in ("employee_number", "first_name", "last_name"):
        if reader.has(key):
            column = next(c for c in PEOPLE_COLUMNS if c.key == key)
            values[key] = reader.text(
                key, required=column.empty == REQUIRED, max_length=_max_length(Employee, key)
            )
    if reader.has("email"):
        values["email"] = reader.email("email")
    for column in PEOPLE_COLUMNS:
        if column.choices is None or not reader.has(column.key):
            continue
        value = reader.choice(column.key, column.choices, required=column.empty == REQUIRED)
        if value or column.empty == CLEAR:
            values[column.key] = value
    for key in ("birth_date", "hire_date", "exit_date"):
        if reader.has(key):
            values[key] = reader.date(key, required=key == "hire_date")
    if reader.has("languages"):
        values["languages"] = _languages(reader)
    if reader.has("experience_years"):
        field_ = Employee._meta.get_field("experience_years")
        digits = field_.max_digits - field_.decimal_places
        maximum = Decimal(10**digits) - Decimal("0.1")
        years = reader.decimal("experience_years", maximum=maximum)
        if years is not None:
            values["experience_years"] = years
    if reader.has("unit"):
        code = reader.raw("unit")
        matches = units.find(code) if code else []
        if code and len(matches) != 1:
            reader.problem("unit", "ambiguous_unit" if matches else "unknown_unit")
        values["unit_id"] = matches[0] if len(matches) == 1 else None
    item = PersonItem(row=reader.number, employee=None, values=values)
    if reader.has("function"):
        code = reader.raw("function")
        item.job_id = jobs.get(code.casefold()) if code else None
        if code and item.job_id is None:
            reader.problem("function", "unknown_job")
        item.set_job = True
    if reader.has("manager"):
        item.set_manager = True
        manager = reader.email("manager")
        item.manager_ref = manager or None
    return item


def validate_people(*, organisation: Organisation, table: Table) -> Plan:
    """Check a people file against itself and the organisation, in five queries.

    Rules: every value readable; email and employee_number once per file; each row recognisable
    (email or number) and matching at most one person; managers, units and functions exist; the
    service rules on exit dates and own manager; a changed function starts today, after the
    current one.
    """
    problems = list(table.problems)
    people = list(Employee.objects.filter(organisation=organisation))
    by_email = {person.email.lower(): person for person in people if person.email}
    by_number: dict[str, list[Employee]] = defaultdict(list)
    for person in people:
        if person.employee_number:
            by_number[person.employee_number.casefold()].append(person)
    units = UnitIndex.of(organisation)
    jobs = {
        code.casefold(): pk
        for pk, code in Job.objects.filter(organisation=organisation).values_list("id", "code")
    }
    open_assignments: dict[int, tuple[int, int, datetime.date]] = {}
    for pk, employee_id, job_id, start in (
        JobAssignment.objects.filter(employee__organisation=organisation, end_date__isnull=True)
        .order_by("start_date", "id")
        .values_list("id", "employee_id", "job_id", "start_date")
    ):
        open_assignments[employee_id] = (pk, job_id, start)
    today = timezone.localdate()

    items: list[PersonItem] = []
    seen_emails: dict[str, int] = {}
    seen_numbers: dict[str, int] = {}
    matched: dict[int, int] = {}  # employee pk → row
    readers: dict[int, RowReader] = {}
    for number, cells in table.rows:
        reader = RowReader(table, number, cells, problems)
        readers[number] = reader
        item = _read_person(reader, units, jobs)
        email = item.values.get("email", "")
        employee_number = item.values.get("employee_number", "")
        _duplicates(reader, "email", email, seen_emails)
        _duplicates(reader, "employee_number", employee_number, seen_numbers)
        if (
            not email
            and not employee_number
            and (reader.has("email") or reader.has("employee_number"))
        ):
            reader.problem(
                "email" if reader.has("email") else "employee_number", "missing_identity"
            )
        by_mail = by_email.get(email) if email else None
        numbered = by_number.get(employee_number.casefold(), []) if employee_number else []
        if len(numbered) > 1:
            reader.problem("employee_number", "ambiguous_number")
        by_num = numbered[0] if len(numbered) == 1 else None
        if by_mail and by_num and by_mail.pk != by_num.pk:
            reader.problem(
                "email",
                "identity_conflict",
                email_person=str(by_mail),
                number=employee_number,
                number_person=str(by_num),
            )
        elif by_mail and not by_num and employee_number and by_mail.employee_number:
            # Numbers identify people for good; an address may move to someone else.
            reader.problem(
                "email", "email_taken", person=str(by_mail), number=by_mail.employee_number
            )
        item.employee = by_mail or by_num
        if item.employee is not None:
            if item.employee.pk in matched:
                reader.problem(
                    "email" if by_mail else "employee_number",
                    "duplicate_in_file",
                    other=matched[item.employee.pk],
                )
            matched[item.employee.pk] = number
        items.append(item)

    # Managers are found by their email after the import: the file's addresses replace those of
    # the people it updates.
    final_email: dict[str, int | str] = {
        person.email.lower(): person.pk
        for person in people
        if person.email and person.pk not in matched
    }
    for item in items:
        email = item.values.get("email", item.employee.email if item.employee else "")
        if email:
            final_email[email] = item.employee.pk if item.employee else email
    for item in items:
        reader = readers[item.row]
        if not item.set_manager:
            continue
        if item.manager_ref is None:
            item.values["manager_id"] = None
            continue
        target = final_email.get(str(item.manager_ref))
        if target is None:
            reader.problem("manager", "unknown_manager")
            continue
        own = item.employee.pk if item.employee else item.values.get("email")
        if target == own:
            reader.problem("manager", "own_manager")
            continue
        if isinstance(target, int):
            item.values["manager_id"] = target
            item.manager_ref = None
        else:
            item.manager_ref = target  # a new person of this file, linked after creation

    plan = Plan(kind=ImportKind.PEOPLE, problems=problems)
    rows_with_problems = {problem.row for problem in problems}
    # Foreign keys are checked above from the loaded data; the model would query each one.
    excluded = ["organisation", "user", "unit", "manager", "job", "workstation"]
    for item in items:
        reader = readers[item.row]
        problem_count = len(problems)
        match = item.employee
        current = {key: getattr(match, key) for key in PERSON_FIELDS} if match else {}
        final = current | item.values
        hire, leave = final.get("hire_date"), final.get("exit_date")
        if hire and leave and leave < hire:
            reader.problem("exit_date", "exit_before_hire")
        if leave and not final.get("exit_reason") and not reader.raw("exit_reason"):
            reader.problem("exit_reason", "exit_reason_missing")
        new_job = (
            match is not None
            and item.set_job
            and item.job_id is not None
            and item.job_id != match.job_id
        )
        if match is not None and item.set_job and item.job_id is None and match.job_id:
            reader.problem("function", "job_removal")
        if new_job:
            assert match is not None
            assignment = open_assignments.get(match.pk)
            if assignment is not None:
                if assignment[2] >= today:
                    reader.problem(
                        "function", "job_change_too_soon", date=assignment[2].isoformat()
                    )
                item.close_assignment_id = assignment[0]
        if (
            not table.problems
            and item.row not in rows_with_problems
            and len(problems) == problem_count
        ):
            # The model's own field checks (lengths, choices, email) as a last safety net.
            try:
                Employee(organisation=organisation, **final).clean_fields(exclude=excluded)
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    reader.problem(name, "refused", message=" ".join(messages))
        if match is None:
            plan.create_count += 1
            plan.items.append(item)
            continue
        item.changed = [
            key for key, value in item.values.items() if not _same(key, current.get(key), value)
        ]
        if item.manager_ref is not None:  # the manager is a new match of this file
            item.changed.append("manager_id")
        if item.changed or new_job:
            plan.update_count += 1
            plan.items.append(item)
        else:
            plan.unchanged_count += 1
    return plan


VALIDATORS: dict[str, Callable[..., Plan]] = {
    ImportKind.UNITS: validate_units,
    ImportKind.JOBS: validate_jobs,
    ImportKind.PEOPLE: validate_people,
}


def validate(*, organisation: Organisation, table: Table) -> Plan:
    """What importing `table` would do, with every problem in row and column order."""
    plan = VALIDATORS[table.kind](organisation=organisation, table=table)
    order = {key: index for index, key in enumerate(table.columns)}
    plan.problems.sort(key=lambda problem: (problem.row, order.get(problem.column, -1)))
    return plan


def _valid_plan(*, organisation: Organisation, table: Table) -> Plan:
    plan = validate(organisation=organisation, table=table)
    if plan.problems:
        raise ImportRefusedError(plan.problems)
    return plan


# --- Writing -------------------------------------------------------------------------------------

Progress = Callable[[int], None]
BATCH = 500


def _no_progress(done: int) -> None:
    """Progress is optional."""


NON_FIELD = "__all__"


def _refusal(table: Table, row: int, error: ValidationError) -> ImportRefusedError:
    """A service refused a row the validation let through: report it on that row."""
    cells = table.cells(row)
    columns = {"job": "function", NON_FIELD: ""}
    problems = []
    for name, messages in (
        error.message_dict.items()
        if hasattr(error, "error_dict")
        else [(NON_FIELD, error.messages)]
    ):
        key = columns.get(name, name)
        problems.append(
            Problem(
                row,
                key,
                cells.get(key, "")[:200],
                "refused",
                {"message": " ".join(messages)},
                table.letters.get(key, ""),
            )
        )
    return ImportRefusedError(problems)


def _summary(*, organisation: Organisation, by: User, plan: Plan, source: ImportJob | None) -> None:
    audit.record(
        actor=by,
        action="people.import_completed",
        obj=source,
        organisation=organisation,
        after={
            "kind": plan.kind,
            "file": source.file_name if source else "",
            "created": plan.create_count,
            "updated": plan.update_count,
            "unchanged": plan.unchanged_count,
        },
    )


@transaction.atomic
def unit_import(
    *,
    organisation: Organisation,
    by: User,
    table: Table,
    source: ImportJob | None = None,
    progress: Progress = _no_progress,
) -> Plan:
    """Validate a units file and write it through `unit_create` and `unit_update`, parents
    before children, plus one audit entry for the import.

    Raises ImportRefusedError with every problem (nothing written) when a row is wrong, or when
    a service refuses a row.
    """
    plan = _valid_plan(organisation=organisation, table=table)
    created: dict[str, int] = {}
    for done, item in enumerate(plan.items, start=1):
        values = dict(item.values)
        if "leader_id" in values:
            leader_id = values.pop("leader_id")
            values["leader"] = Employee.objects.get(pk=leader_id) if leader_id else None
        if item.unit_id is None or item.move:
            # Read the parent afresh: moving the units above it rewrote its path.
            parent_pk = _unit_pk(item.parent_key, created)
            values["parent"] = OrgUnit.objects.get(pk=parent_pk) if parent_pk else None
        try:
            if item.unit_id is None:
                unit = services.unit_create(organisation=organisation, by=by, **values)
                created[item.key] = unit.pk
            else:
                unit = OrgUnit.objects.get(pk=item.unit_id)
                services.unit_update(unit=unit, by=by, **values)
        except ValidationError as error:
            raise _refusal(table, item.row, error) from error
        progress(done)
    _summary(organisation=organisation, by=by, plan=plan, source=source)
    return plan


def _unit_pk(key: str | None, created: dict[str, int]) -> int | None:
    if key is None:
        return None
    if key.startswith("id:"):
        return int(key[3:])
    return created[key]


@transaction.atomic
def job_import(
    *,
    organisation: Organisation,
    by: User,
    table: Table,
    source: ImportJob | None = None,
    progress: Progress = _no_progress,
) -> Plan:
    """Validate a functions file and write it through `job_create` and `job_update`, plus one
    audit entry for the import.

    Raises ImportRefusedError with every problem (nothing written) when a row is wrong, or when
    a service refuses a row.
    """
    plan = _valid_plan(organisation=organisation, table=table)
    for done, item in enumerate(plan.items, start=1):
        try:
            if item.job_id is None:
                services.job_create(
                    organisation=organisation,
                    by=by,
                    tasks=item.tasks or [],
                    **item.values,
                )
            else:
                job = Job.objects.select_related("organisation").get(pk=item.job_id)
                services.job_update(job=job, by=by, tasks=item.tasks, **item.values)
        except ValidationError as error:
            raise _refusal(table, item.row, error) from error
        progress(done)
    _summary(organisation=organisation, by=by, plan=plan, source=source)
    return plan


# Employee attribute → the name the services' audit entries use.
AUDIT_NAME = {"unit_id": "unit", "manager_id": "manager", "job_id": "job"}


def _audit_entry(
    *,
    by: User,
    action: str,
    obj: Employee,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """An unsaved entry, filled in as `audit.record` does, for `bulk_create`."""
    return AuditEntry(
        organisation_id=obj.organisation_id,
        actor_id=by.pk if by is not None else None,
        actor_label=str(by)[:200] if by is not None else "",
        action=action,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        before=audit.jsonable(before) if before is not None else None,
        after=audit.jsonable(after) if after is not None else None,
    )


@transaction.atomic
def employee_bulk_import(
    *,
    organisation: Organisation,
    by: User,
    table: Table,
    source: ImportJob | None = None,
    progress: Progress = _no_progress,
) -> Plan:
    """Validate a people file and create and update its people in bulk.

    `validate_people` checks every row against the rules of `employee_create`, `employee_update`
    and `employee_assign_job` first; then: a new person with a function gets a function period
    from his hire date; a changed function closes the current period yesterday and opens one
    today. One audit entry per created or changed person, as the services write them, and one
    for the whole import. (The per-row services took 90 s for 10,000 people; this about 5 s.)

    Raises ImportRefusedError with every problem, and writes nothing, when a row is wrong.
    """
    plan = _valid_plan(organisation=organisation, table=table)
    today = timezone.localdate()
    note = gettext("Import of %(file)s") % {"file": source.file_name if source else ""}
    new_items = [item for item in plan.items if item.employee is None]
    changed_items = [item for item in plan.items if item.employee is not None]

    people = [
        Employee(
            organisation=organisation,
            job_id=item.job_id if item.set_job else None,
            **item.values,
        )
        for item in new_items
    ]
    new_by_email = _create_managers_first(new_items, people)
    progress(len(people) // 2)
    assignments = [
        JobAssignment(
            employee=person,
            job_id=person.job_id,
            unit_id=person.unit_id,
            start_date=person.hire_date,
            reason=AssignmentReason.HIRE,
        )
        for person in people
        if person.job_id is not None
    ]
    entries = [
        _audit_entry(
            by=by,
            action="people.employee_created",
            obj=person,
            after=audit.snapshot(person, [*services.EMPLOYEE_FIELDS, "job"]),
        )
        for person in people
    ]
    progress(len(people))

    updated: list[Employee] = []
    fields: set[str] = set()
    closing: list[int] = []
    for item in changed_items:
        person = item.employee
        assert person is not None
        if item.manager_ref is not None:
            item.values["manager_id"] = new_by_email[str(item.manager_ref)]
        changes = list(item.changed)
        new_job = item.set_job and item.job_id is not None and item.job_id != person.job_id
        if new_job:
            changes.append("job_id")
            item.values["job_id"] = item.job_id
        names = [AUDIT_NAME.get(key, key) for key in changes]
        before = audit.snapshot(person, names)
        for key in changes:
            setattr(person, key, item.values[key])
        if new_job:
            if item.close_assignment_id is not None:
                closing.append(item.close_assignment_id)
            assignments.append(
                JobAssignment(
                    employee=person,
                    job_id=item.job_id,
                    unit_id=person.unit_id,
                    start_date=today,
                    reason=AssignmentReason.OTHER,
                    note=note[:300],
                )
            )
        fields.update(AUDIT_NAME.get(key, key) for key in changes)
        updated.append(person)
        old, new = audit.changed(before, audit.snapshot(person, names))
        entries.append(
            _audit_entry(by=by, action="people.employee_updated", obj=person, before=old, after=new)
        )
    if updated:
        Employee.objects.bulk_update(updated, sorted(fields), batch_size=BATCH)
    JobAssignment.objects.filter(pk__in=closing).update(end_date=today - datetime.timedelta(days=1))
    JobAssignment.objects.bulk_create(assignments, batch_size=BATCH)
    AuditEntry.objects.bulk_create(entries, batch_size=BATCH)
    _summary(organisation=organisation, by=by, plan=plan, source=source)
    progress(len(plan.items))
    return plan


def _create_managers_first(items: list[PersonItem], people: list[Employee]) -> dict[str, int]:
    """Insert new people in waves, each manager before the people he manages, so that the
    manager is set on insert (a later UPDATE of thousands of rows is slow). People who manage
    each other in a loop are linked afterwards. Returns the new people's pks by email."""
    created: dict[str, int] = {}
    pending = list(zip(items, people, strict=True))
    unlinked: list[tuple[PersonItem, Employee]] = []
    while pending:
        wave = [
            (item, person)
            for item, person in pending
            if item.manager_ref is None or str(item.manager_ref) in created
        ]
        if not wave:  # only loops are left
            wave, unlinked = pending, pending
        for item, person in wave:
            if item.manager_ref is not None and str(item.manager_ref) in created:
                person.manager_id = created[str(item.manager_ref)]
        Employee.objects.bulk_create([person for _item, person in wave], batch_size=BATCH)
        created.update({person.email: person.pk for _item, person in wave if person.email})
        done = {id(person) for _item, person in wave}
        pending = [(item, person) for item, person in pending if id(person) not in done]
    for item, person in unlinked:
        person.manager_id = created[str(item.manager_ref)]
    Employee.objects.bulk_update([person for _item, person in unlinked], ["manager"])
    return created


IMPORTERS: dict[str, Callable[..., Plan]] = {
    ImportKind.UNITS: unit_import,
    ImportKind.JOBS: job_import,
    ImportKind.PEOPLE: employee_bulk_import,
}


# --- Import jobs: upload, confirm, run -----------------------------------------------------------

_progress: dict[int, tuple[int, int]] = {}
_progress_lock = threading.Lock()


def _set_progress(job_id: int, done: int, total: int) -> None:
    with _progress_lock:
        _progress[job_id] = (min(done, total), total)


def import_progress(job: ImportJob) -> tuple[int, int] | None:
    """(rows done, rows) of an import running in this process; None if unknown here.

    Kept in memory: the import's own transaction cannot publish it, and a second connection
    would wait for that transaction's lock on SQLite.
    """
    with _progress_lock:
        return _progress.get(job.pk)


def import_is_stale(job: ImportJob) -> bool:
    """An import still marked running long after it started died with its process; its
    transaction was rolled back, so nothing of it was written."""
    if not job.is_active or import_progress(job) is not None:
        return False
    started = job.started_at or job.created_at
    return timezone.now() - started > STALE_AFTER


def _store_problems(job: ImportJob, problems: list[Problem]) -> None:
    job.status = ImportStatus.INVALID
    job.problem_count = len(problems)
    job.problems = [problem.as_json() for problem in problems[:MAX_PROBLEMS]]
    job.data = {}
    job.create_count = job.update_count = job.unchanged_count = 0


def _store_plan(job: ImportJob, plan: Plan) -> None:
    job.create_count = plan.create_count
    job.update_count = plan.update_count
    job.unchanged_count = plan.unchanged_count


def import_job_create(
    *, organisation: Organisation, by: User, kind: str, name: str, content: bytes
) -> ImportJob:
    """Read and validate an uploaded file; keep it as an ImportJob, ready or with its problems.

    Writes nothing else: the organisation's data is only changed by `import_job_confirm`.
    """
    job = ImportJob(organisation=organisation, created_by=by, kind=kind, file_name=name[:255])
    try:
        table = read_table(kind=kind, name=name, content=content)
    except UnreadableFileError as refused:
        _store_problems(job, [refused.problem])
        job.save()
        return job
    job.row_count = len(table.rows)
    plan = validate(organisation=organisation, table=table)
    if plan.problems:
        _store_problems(job, plan.problems)
    else:
        job.status = ImportStatus.READY
        job.data = table.as_json()
        _store_plan(job, plan)
    job.save()
    return job


def import_job_confirm(*, job: ImportJob, by: User) -> threading.Thread | None:
    """Start a ready import: in this request when it is small, in a background thread otherwise.

    Claims the job with one conditional UPDATE, so a double click or a second user cannot run it
    twice. Raises ValidationError when the job is not ready. Returns the thread, if any.
    """
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.READY).update(
        status=ImportStatus.QUEUED
    )
    if not claimed:
        raise ValidationError(
            _("This import has already started, or has problems to correct first."),
            code="not_ready",
        )
    if job.row_count <= inline_max_rows():
        import_job_run(job_id=job.pk, by_id=by.pk)
        return None
    _set_progress(job.pk, 0, job.row_count)
    thread = threading.Thread(
        target=_run_in_thread,
        kwargs={"job_id": job.pk, "by_id": by.pk},
        name=f"import-{job.pk}",
        daemon=True,
    )
    thread.start()
    return thread


def _run_in_thread(*, job_id: int, by_id: int) -> None:
    try:
        # A thread starts in the default language; write texts in the user's.
        language = User.objects.filter(pk=by_id).values_list("language", flat=True).first()
        with translation.override(language or settings.LANGUAGE_CODE):
            import_job_run(job_id=job_id, by_id=by_id)
    finally:
        # This thread's own database connection; Django closes only request threads' ones.
        connections.close_all()


def import_job_run(*, job_id: int, by_id: int) -> ImportJob:
    """Validate the job's rows again and write them, all or nothing, in one transaction.

    The data may have changed since the upload, so the rows are checked again inside the
    transaction; problems found then turn the job back to "has problems" with nothing written.
    The organisation row is locked (on PostgreSQL) so two imports of one organisation queue.
    """
    job = ImportJob.objects.select_related("organisation", "created_by").get(pk=job_id)
    by = User.objects.get(pk=by_id)
    organisation = job.organisation
    job.status = ImportStatus.RUNNING
    job.started_at = timezone.now()
    job.save(update_fields=["status", "started_at"])
    total = max(job.row_count, 1)
    _set_progress(job.pk, 0, total)

    def progress(done: int) -> None:
        _set_progress(job.pk, done, total)

    try:
        with transaction.atomic():
            Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
            plan = IMPORTERS[job.kind](
                organisation=organisation,
                by=by,
                table=Table.from_json(job.kind, job.data),
                source=job,
                progress=progress,
            )
    except ImportRefusedError as refused:
        _store_problems(job, refused.problems)
    except DatabaseError:
        # A unique constraint hit by a change made meanwhile, or a lock that did not come.
        logger.exception("import %s failed in the database", job.pk)
        job.status = ImportStatus.FAILED
        job.failure = str(ERRORS["conflict"])
    except Exception:
        # Never leave a job "running" after an error nobody foresaw; the log has the details.
        logger.exception("import %s failed", job.pk)
        job.status = ImportStatus.FAILED
        job.failure = gettext(
            "The import stopped on an unexpected error; nothing was written. Try again, or "
            "send the file to your administrator."
        )
    else:
        job.status = ImportStatus.DONE
        _store_plan(job, plan)
    finally:
        with _progress_lock:
            _progress.pop(job.pk, None)
    job.data = {}
    job.finished_at = timezone.now()
    job.save()
    return job


def import_job_list(*, organisation: Organisation, limit: int = 10) -> list[ImportJob]:
    """The organisation's latest column-style imports, for the upload page (one query).

    Other kinds (the skills matrix) have their own pages and are not listed here.
    """
    return list(
        ImportJob.objects.filter(organisation=organisation, kind__in=list(COLUMNS))
        .select_related("created_by")
        .defer("data", "problems")[:limit]
    )


def import_problems(job: ImportJob) -> list[Problem]:
    return [Problem.from_json(data) for data in job.problems]


def may_import(access: Access) -> bool:
    """Imports change records across the whole organisation, so they need an HR or admin grant
    on the whole organisation, not on one unit."""
    return access.has_role(*IMPORT_ROLES) and access.scope_paths(IMPORT_ROLES) is None


# --- Templates and exports -----------------------------------------------------------------------


def _text_cell(sheet: WriteOnlyWorksheet, value: Any, *, bold: bool = False) -> Cell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # Text that starts with "=" stays text: an exported name must never run as a formula.
        cell.data_type = "s"
    elif isinstance(value, datetime.date):
        cell.number_format = "yyyy-mm-dd"
    if bold:
        cell.font = Font(bold=True)
    return cell


def _sheet(book: Workbook, title: str, header: Sequence[str], widths: Sequence[int]) -> Any:
    sheet = book.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append([_text_cell(sheet, name, bold=True) for name in header])
    return sheet


def _allowed_text(column: Column) -> str:
    if column.choices is None:
        return ""
    return "; ".join(f"{value} ({label})" for value, label in column.choices.choices)


def _help_sheet(book: Workbook, kind: str) -> None:
    header = [
        gettext("Column"),
        gettext("Must be filled in"),
        gettext("What to write"),
        gettext("Allowed values (code and name)"),
        gettext("Example"),
    ]
    sheet = _sheet(book, gettext("Help"), header, [24, 14, 70, 60, 40])
    for column in COLUMNS[kind]:
        if column.empty == REQUIRED:
            must = gettext("yes")
        elif column.empty == DEFAULT and column.default:
            must = gettext("no (default %(value)s)") % {"value": column.default}
        else:
            must = gettext("no")
        sheet.append(
            [
                _text_cell(sheet, value)
                for value in (
                    column.key,
                    must,
                    str(column.help),
                    _allowed_text(column),
                    column.example,
                )
            ]
        )
    if kind in EXTRA_COLUMNS:
        extra = EXTRA_COLUMNS[kind]
        texts = (str(extra.name), gettext("no"), str(extra.help))
        sheet.append([_text_cell(sheet, value) for value in texts])
    sheet.append([])
    for line in (
        gettext(
            "Fill in the first sheet: one row per record under the column names. Leave out "
            "columns you do not want to change."
        ),
        gettext("Dates: 2024-03-31, 31/03/2024 or an Excel date cell."),
        gettext(
            "The whole file is checked before anything is saved; any problem is listed with its "
            "row and column, and then nothing is saved."
        ),
    ):
        sheet.append([_text_cell(sheet, line)])


def _workbook(
    kind: str, rows: Iterable[Sequence[Any]], extra: Sequence[tuple[str, int]] = ()
) -> bytes:
    """The data sheet (the kind's columns, then `extra` (name, width) columns) and the Help."""
    book = Workbook(write_only=True)
    columns = COLUMNS[kind]
    sheet = _sheet(
        book,
        kind,
        [column.key for column in columns] + [name for name, _width in extra],
        [column.width for column in columns] + [width for _name, width in extra],
    )
    for row in rows:
        sheet.append([_text_cell(sheet, value) for value in row])
    _help_sheet(book, kind)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def template_workbook(*, kind: str) -> bytes:
    """The XLSX template: the column names on the first sheet, and a Help sheet that explains
    each column with its allowed values and an example."""
    return _workbook(kind, [])


def template_csv(*, kind: str) -> bytes:
    """The CSV template: the column names, separated by semicolons as Excel in Belgium expects,
    in UTF-8 with a byte-order mark so that Excel reads accents right."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerow(
        column.key for column in COLUMNS[kind]
    )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def example_row(kind: str) -> list[str]:
    """The example of every column, as in the Help sheet (a valid row once its unit and function
    exist)."""
    return [column.example for column in COLUMNS[kind]]


def _unit_ref(unit: OrgUnit | None) -> str:
    """How files refer to a unit: its code, or its name when it has none."""
    if unit is None:
        return ""
    return unit.code or unit.name


def unit_export_rows(*, organisation: Organisation) -> Iterator[list[Any]]:
    """The units in the order of the tree, parents first (one query)."""
    units = (
        OrgUnit.objects.filter(organisation=organisation)
        .select_related("parent", "leader")
        .order_by("path")
    )
    for unit in units:
        yield [
            unit.name,
            unit.code,
            unit.kind,
            _unit_ref(unit.parent),
            unit.leader.email if unit.leader else "",
        ]


def format_tasks(tasks: Iterable[JobTask]) -> str:
    return "; ".join(f"{task.kind}: {task.description}" for task in tasks)


def job_export_rows(*, organisation: Organisation) -> Iterator[list[Any]]:
    """The functions with their tasks (two queries)."""
    jobs = Job.objects.filter(organisation=organisation).prefetch_related("tasks").order_by("code")
    for job in jobs:
        yield [
            job.code,
            job.name,
            job.description,
            job.classification,
            job.months_to_independence,
            job.review_interval_days,
            format_tasks(job.tasks.all()),
        ]


def employee_export_rows(*, access: Access) -> Iterator[list[Any]]:
    """The people the user may see through his HR or admin grant, with unit, function and
    manager (one query)."""
    people = (
        Employee.objects.filter(access.employee_scope_q(IMPORT_ROLES))
        .select_related("unit", "job", "manager")
        .order_by("last_name", "first_name", "id")
    )
    for person in people.iterator(chunk_size=2000):
        yield [
            person.employee_number,
            person.first_name,
            person.last_name,
            person.email,
            person.person_type,
            person.gender,
            person.birth_date,
            person.hire_date,
            person.exit_date,
            person.exit_reason,
            _unit_ref(person.unit),
            person.job.code if person.job else "",
            person.manager.email if person.manager else "",
            person.languages,
            person.dutch_level,
            person.education_level,
            person.experience_years,
        ]


def export_workbook(*, kind: str, access: Access) -> bytes:
    """An XLSX of the current organisation's units, functions or people, in the columns of the
    import template (so it can be edited and imported again)."""
    if kind in EXPORTERS:
        return EXPORTERS[kind](access=access)
    organisation = access.organisation
    assert organisation is not None
    if kind == ImportKind.UNITS:
        rows = unit_export_rows(organisation=organisation)
    elif kind == ImportKind.JOBS:
        rows = job_export_rows(organisation=organisation)
    else:
        rows = employee_export_rows(access=access)
    return _workbook(kind, rows)


# --- Kinds of other apps -------------------------------------------------------------------------

EXPORTERS: dict[str, Callable[..., bytes]] = {}


def register_kind(
    kind: str,
    *,
    columns: list[Column],
    validator: Callable[..., Plan],
    importer: Callable[..., Plan],
    exporter: Callable[..., bytes],
    errors: dict[str, str | Promise] | None = None,
    aliases: dict[type[models.TextChoices], dict[str, tuple[str, ...]]] | None = None,
    extra_columns: ExtraColumns | None = None,
) -> None:
    """Let another app import and export `kind` through the pages and jobs of this module.

    Called from the app's `AppConfig.ready()`, so people never imports that app. `validator(
    organisation=, table=)` returns a Plan without writing; `importer(organisation=, by=, table=,
    source=, progress=)` writes it all-or-nothing (raising ImportRefusedError); `exporter(access=)`
    returns the XLSX. `errors` adds problem messages by code, `aliases` extra spellings of choices.
    """
    COLUMNS[kind] = columns
    VALIDATORS[kind] = validator
    IMPORTERS[kind] = importer
    EXPORTERS[kind] = exporter
    ERRORS.update(errors or {})
    for choices, spellings in (aliases or {}).items():
        ALIASES.setdefault(choices, {}).update(spellings)
    choice_lookup.cache_clear()
    if extra_columns is not None:
        EXTRA_COLUMNS[kind] = extra_columns
