"""Import an existing skills matrix from Excel or CSV (issue 4, see docs/competences.md).

A wide sheet: names in rows, skills in columns, levels in the cells. The flow:

1. `matrix_import_create` reads the file into text cells, guesses a mapping (which row names the
   skills, which column names the person, how levels are written) and validates it. It writes
   nothing but an `ImportJob` of kind "matrix" that keeps the cells, the mapping, the preview
   counts and the problems.
2. `matrix_import_remap` stores a mapping the user chose on the job's page and validates again.
3. `matrix_import_confirm` validates again inside one transaction and writes all-or-nothing: the
   new competences and every assessment in bulk, with one audit entry for the whole import. The
   assessments follow the rules of `services.assessment_record` (scope, no self-validation, no
   future date, nobody who left, a level of the competence's scale), checked for all cells first.

Cells equal to the person's current official level are not recorded again; empty cells and "-"
are skipped.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl.utils import get_column_letter

from leerplek.competences import services
from leerplek.competences.models import Assessment, AssessmentMethod, Competence, Level
from leerplek.core import audit
from leerplek.core.access import Access
from leerplek.core.permissions import PERMISSIONS
from leerplek.people import imports
from leerplek.people.imports import (
    MAX_PROBLEMS,
    Problem,
    UnreadableFileError,
    cell_text,
    file_format,
    normalise,
)
from leerplek.people.models import (
    Employee,
    ImportJob,
    ImportKind,
    ImportStatus,
    Organisation,
    User,
)

logger = logging.getLogger(__name__)

# A matrix is wide but not endless: past this many columns the sheet is not a skills matrix.
MAX_COLUMNS = 1000
# Cells that mean "not assessed": skipped, like an empty cell.
EMPTY_MARKS = frozenset({"", "-", "\u2013", "\u2014", "/", "n/a", "na", "x"})
# The header row is chosen among the first rows of the sheet.
HEADER_CHOICES = 15
ASSESS_ROLES = PERMISSIONS["competences.assess_employee"].roles
BATCH = 2000


class IdentifyBy(models.TextChoices):
    NAME = "name", _("Name (first and last name, in either order)")
    NUMBER = "employee_number", _("Personnel number")
    EMAIL = "email", _("Email address")


class LevelStyle(models.TextChoices):
    LETTERS = "letters", _("Letters of the scale (0, I, L, U, O)")
    ZERO_FOUR = "0-4", _("Numbers 0 to 4 (0 = the lowest level of the scale)")
    ONE_FIVE = "1-5", _("Numbers 1 to 5 (1 = the lowest level of the scale)")


MATRIX_ERRORS: dict[str, str | Promise] = {
    "matrix_empty": _(
        "The file is empty. Put the skill names in one row and one row per person under it."
    ),
    "too_many_columns": _("The sheet has more than %(max)s columns; keep only the skills."),
    "no_header": _("Row %(row)s is empty; choose the row that holds the skill names."),
    "no_people_rows": _("There are no rows under the skill names. Add one row per person."),
    "no_skills": _("Choose at least one column with skills."),
    "unnamed_skill": _("Column %(letter)s has no skill name in row %(row)s; untick it or name it."),
    "unknown_skill": _(
        'No competence has the code or name "%(value)s". Rename the column to a competence of '
        'the catalogue, untick it, or choose "Create unknown skills as new competences".'
    ),
    "ambiguous_skill": _(
        'Several competences are called "%(value)s" (%(codes)s). Use the code of one of them as '
        "the column name."
    ),
    "duplicate_skill": _(
        "This column is the same competence as column %(other)s. Delete or untick one of them."
    ),
    "missing_person": _("This row has levels but no person. Fill in the person or delete the row."),
    "unknown_person": _(
        'Nobody in this organisation matches "%(value)s" by %(by)s. Correct it, or add the person '
        "first."
    ),
    "ambiguous_person": _(
        'Several people match "%(value)s" (%(names)s). Identify people by personnel number or '
        "email address instead."
    ),
    "duplicate_person": _(
        "%(name)s also appears on row %(other)s. Keep one row per person; merge the two rows."
    ),
    "person_left": _("%(name)s left on %(date)s; record no new assessments for this person."),
    "own_level": _(
        "Nobody validates his own level: %(name)s cannot be assessed by himself. Choose another "
        "assessor, or delete this row and let a colleague assess him."
    ),
    "out_of_scope": _("You may not assess %(name)s: he is outside your scope."),
    "bad_level": _(
        '"%(value)s" is not a level of the scale %(scale)s for %(skill)s. Use one of: '
        "%(allowed)s, or leave the cell empty."
    ),
    "future_date": _("The assessment date cannot be in the future; today is %(today)s."),
    "assessor_missing": _("Choose who assessed the levels."),
    "assessor_left": _("The assessor %(name)s has left; choose another assessor."),
}


@dataclass(frozen=True)
class MatrixProblem(Problem):
    """A Problem of a matrix import: the messages of this module, else those of people imports."""

    @property
    def message(self) -> str:
        template = MATRIX_ERRORS.get(self.code)
        if template is None:
            return super().message
        return str(template) % ({"value": self.value, "column": self.column} | self.params)


class MatrixRefusedError(Exception):
    def __init__(self, problems: list[MatrixProblem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


# --- Reading the sheet ---------------------------------------------------------------------------

Grid = list[tuple[int, list[str]]]  # (row number as Excel shows it, cells as text)


def read_grid(*, name: str, content: bytes) -> Grid:
    """The non-empty rows of the first sheet (XLSX) or of a CSV file, as text cells.

    Reuses the readers of the people imports (openpyxl read-only with its zip-bomb check; CSV with
    the separator sniffed). Raises UnreadableFileError with a MatrixProblem when the file cannot be
    used at all.
    """
    fmt = file_format(name)
    if fmt is None or (fmt == "xlsx" and not content.startswith(b"PK")):
        raise UnreadableFileError("file_unreadable")
    source = imports._xlsx_rows(content) if fmt == "xlsx" else imports._csv_rows(content)
    grid: Grid = []
    limit = imports.max_rows() + 1  # the header row too
    for number, values in enumerate(source, start=1):
        texts = [cell_text(value) for value in values]
        while texts and not texts[-1]:
            texts.pop()
        if not texts:
            continue
        if len(texts) > MAX_COLUMNS:
            _refuse("too_many_columns", max=MAX_COLUMNS)
        if len(grid) >= limit:
            _refuse("too_many_rows", max=limit - 1)
        grid.append((number, texts))
    if not grid:
        _refuse("matrix_empty")
    return grid


def _refuse(code: str, **params: Any) -> None:
    error = UnreadableFileError(code, **params)
    error.problem = MatrixProblem(row=0, column="", value="", code=code, params=params)
    raise error


# --- The mapping ---------------------------------------------------------------------------------


@dataclass
class Mapping:
    """What the user chose on the job's page (columns are 0-based indexes)."""

    header_row: int
    person_column: int
    identify_by: str
    skill_columns: list[int]
    levels: str
    assessed_on: datetime.date
    method: str = AssessmentMethod.OBSERVATION
    assessor_id: int | None = None
    create_missing: bool = False

    def as_json(self) -> dict[str, Any]:
        return asdict(self) | {"assessed_on": self.assessed_on.isoformat()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Mapping:
        return cls(**(data | {"assessed_on": datetime.date.fromisoformat(data["assessed_on"])}))


def header_of(grid: Grid, row: int) -> list[str]:
    return next((cells for number, cells in grid if number == row), [])


def header_rows(grid: Grid) -> list[tuple[int, str]]:
    """The first rows of the sheet, to choose the one with the skill names from."""
    return [
        (number, ", ".join(cell for cell in cells if cell)[:80])
        for number, cells in grid[:HEADER_CHOICES]
    ]


def _guess_identity(grid: Grid, header_row: int, column: int) -> str:
    values = [
        cells[column]
        for number, cells in grid
        if number > header_row and column < len(cells) and cells[column]
    ][:50]
    if values and all("@" in value for value in values):
        return IdentifyBy.EMAIL
    if values and all(value.isdigit() for value in values):
        return IdentifyBy.NUMBER
    return IdentifyBy.NAME


def _guess_levels(grid: Grid, header_row: int, columns: list[int]) -> str:
    seen: set[str] = set()
    for number, cells in grid[:300]:
        if number <= header_row:
            continue
        seen.update(cells[index].casefold() for index in columns if index < len(cells))
    values = {value for value in seen if value not in EMPTY_MARKS}
    if not values or any(not value.isdigit() for value in values):
        return LevelStyle.LETTERS
    numbers = {int(value) for value in values}
    # 1 to 4 alone is read as 0-4 (the ILUO habit); a 5 means a 1-5 scale.
    return LevelStyle.ONE_FIVE if 0 not in numbers and max(numbers) >= 5 else LevelStyle.ZERO_FOUR


def default_columns(grid: Grid, header_row: int) -> tuple[int, list[int]]:
    """The person column (the first named one) and the skill columns (every other named one)."""
    header = header_of(grid, header_row)
    named = [index for index, text in enumerate(header) if text]
    if not named:
        return 0, []
    return named[0], named[1:]


def default_mapping(grid: Grid, *, assessor_id: int | None) -> Mapping:
    header_row = grid[0][0]
    person, skills = default_columns(grid, header_row)
    return Mapping(
        header_row=header_row,
        person_column=person,
        identify_by=_guess_identity(grid, header_row, person),
        skill_columns=skills,
        levels=_guess_levels(grid, header_row, skills),
        assessed_on=timezone.localdate(),
        assessor_id=assessor_id,
    )


# --- Validation ----------------------------------------------------------------------------------


@dataclass
class ScaleMapping:
    """How cell values read on one scale, for the preview ("3 → U")."""

    name: str
    pairs: list[tuple[str, str]]


@dataclass
class SkillColumn:
    index: int
    letter: str
    header: str
    competence_id: int | None = None
    code: str = ""  # the competence's code, or the code a new one gets
    name: str = ""
    is_new: bool = False
    scale_id: int | None = None


@dataclass
class Plan:
    problems: list[MatrixProblem] = field(default_factory=list)
    columns: list[SkillColumn] = field(default_factory=list)
    people: int = 0
    # (employee id, index in `columns`, level id)
    records: list[tuple[int, int, int]] = field(default_factory=list)
    unchanged: int = 0
    empty: int = 0
    scales: list[ScaleMapping] = field(default_factory=list)

    @property
    def new_columns(self) -> list[SkillColumn]:
        return [column for column in self.columns if column.is_new]

    def summary(self) -> dict[str, Any]:
        return {
            "people": self.people,
            "competences": len(self.columns),
            "new": [[column.code, column.name] for column in self.new_columns],
            "matched": [
                [column.letter, column.header, column.code, column.is_new]
                for column in self.columns
            ],
            "records": len(self.records),
            "unchanged": self.unchanged,
            "empty": self.empty,
            "scales": [[scale.name, [list(pair) for pair in scale.pairs]] for scale in self.scales],
        }


def _new_code(header: str, taken: set[str]) -> str:
    base = re.sub(r"[^A-Z0-9]+", "-", normalise(header).upper()).strip("-")[:36] or "SKILL"
    code, counter = base, 2
    while code.casefold() in taken:
        code = f"{base}-{counter}"
        counter += 1
    taken.add(code.casefold())
    return code


def _level_lookup(levels: list[Level], style: str) -> dict[str, Level]:
    ordered = sorted(levels, key=lambda level: level.rank)
    if style == LevelStyle.LETTERS:
        return {level.code.casefold(): level for level in ordered}
    start = 0 if style == LevelStyle.ZERO_FOUR else 1
    return {str(position + start): level for position, level in enumerate(ordered)}


def _display_name(first: str, last: str) -> str:
    return f"{first} {last}".strip()


def validate(
    *, organisation: Organisation, by: User, access: Access, grid: Grid, mapping: Mapping
) -> Plan:
    """Check the whole sheet against the mapping and the organisation's data; write nothing.

    Seven queries whatever the size: competences, the default scale, levels, people, current
    levels, the assessor, and the scale's creation the very first time.
    """
    plan = Plan()
    problems = plan.problems
    today = timezone.localdate()
    header = header_of(grid, mapping.header_row)
    if not header:
        problems.append(
            MatrixProblem(mapping.header_row, "", "", "no_header", {"row": mapping.header_row})
        )
        return plan
    if mapping.assessed_on > today:
        problems.append(
            MatrixProblem(0, "", str(mapping.assessed_on), "future_date", {"today": today})
        )

    # The assessor: of this organisation, not left.
    assessor = None
    if mapping.assessor_id is None:
        problems.append(MatrixProblem(0, "", "", "assessor_missing"))
    else:
        assessor = Employee.objects.filter(
            organisation=organisation, pk=mapping.assessor_id
        ).first()
        if assessor is None:
            problems.append(MatrixProblem(0, "", "", "assessor_missing"))
        elif assessor.exit_date is not None and assessor.exit_date < today:
            problems.append(MatrixProblem(0, "", "", "assessor_left", {"name": str(assessor)}))

    # Skill columns → competences, by code or by name, whatever the case or accents.
    competences = list(Competence.objects.filter(organisation=organisation).select_related("group"))
    by_code = {normalise(competence.code): competence for competence in competences}
    by_name: dict[str, list[Competence]] = defaultdict(list)
    for competence in competences:
        by_name[normalise(competence.name)].append(competence)
    taken = {competence.code.casefold() for competence in competences}
    default_scale = services.default_scale(organisation)
    seen: dict[str, str] = {}  # competence key → letter of its first column
    skill_indexes = [index for index in mapping.skill_columns if index != mapping.person_column]
    if not skill_indexes:
        problems.append(MatrixProblem(mapping.header_row, "", "", "no_skills"))
    for index in skill_indexes:
        letter = get_column_letter(index + 1)
        text = header[index] if index < len(header) else ""
        row = mapping.header_row
        if not text:
            problems.append(
                MatrixProblem(row, "", "", "unnamed_skill", {"letter": letter, "row": row}, letter)
            )
            continue
        key = normalise(text)
        column = SkillColumn(index=index, letter=letter, header=text)
        found = by_code.get(key)
        named = by_name.get(key, [])
        if found is None and len(named) > 1:
            codes = ", ".join(sorted(competence.code for competence in named))
            problems.append(
                MatrixProblem(row, text, text, "ambiguous_skill", {"codes": codes}, letter)
            )
            continue
        found = found or (named[0] if named else None)
        if found is not None:
            column.competence_id, column.code, column.name = found.pk, found.code, found.name
            group = found.group
            column.scale_id = (
                group.scale_id if group is not None and group.scale_id else default_scale.pk
            )
            identity = f"id:{found.pk}"
        elif mapping.create_missing:
            column.is_new, column.name = True, text[:200]
            column.code = _new_code(text, taken)
            column.scale_id = default_scale.pk
            identity = f"new:{key}"
        else:
            problems.append(MatrixProblem(row, text, text, "unknown_skill", {}, letter))
            continue
        if identity in seen:
            problems.append(
                MatrixProblem(row, text, text, "duplicate_skill", {"other": seen[identity]}, letter)
            )
            continue
        seen[identity] = letter
        plan.columns.append(column)

    # How cells read per scale.
    scale_ids = {column.scale_id for column in plan.columns} | {default_scale.pk}
    levels_by_scale: dict[int, list[Level]] = defaultdict(list)
    scale_names: dict[int, str] = {}
    for one in Level.objects.filter(scale_id__in=scale_ids).select_related("scale"):
        levels_by_scale[one.scale_id].append(one)
        scale_names[one.scale_id] = one.scale.name
    lookups = {
        scale_id: _level_lookup(levels, mapping.levels)
        for scale_id, levels in levels_by_scale.items()
    }
    used_scales = sorted({column.scale_id for column in plan.columns if column.scale_id})
    for scale_id in used_scales:
        pairs = [(text, one.code) for text, one in lookups.get(scale_id, {}).items()]
        plan.scales.append(ScaleMapping(scale_names.get(scale_id, ""), pairs))
    allowed = {
        scale_id: ", ".join(text.upper() for text in lookup) for scale_id, lookup in lookups.items()
    }

    # People: every person of the organisation, to tell "unknown" from "left".
    people = list(
        Employee.objects.filter(organisation=organisation).values_list(
            "pk",
            "first_name",
            "last_name",
            "employee_number",
            "email",
            "exit_date",
            "user_id",
            "unit__path",
        )
    )
    index_of: dict[str, set[int]] = defaultdict(set)
    info: dict[int, tuple[Any, ...]] = {}
    for pk, first, last, personnel, email, exit_date, user_id, path in people:
        info[pk] = (first, last, exit_date, user_id, path)
        if mapping.identify_by == IdentifyBy.NAME:
            index_of[normalise(f"{first} {last}")].add(pk)
            index_of[normalise(f"{last} {first}")].add(pk)
        elif mapping.identify_by == IdentifyBy.NUMBER:
            if personnel:
                index_of[personnel.strip().casefold()].add(pk)
        elif email:
            index_of[email.strip().casefold()].add(pk)

    # Current official levels of the matched competences.
    known_ids = [column.competence_id for column in plan.columns if column.competence_id]
    current: dict[tuple[int, int], int] = {}
    if known_ids:
        for person_id, competence_id, level_id in (
            Assessment.objects.filter(
                organisation=organisation, competence_id__in=known_ids, is_self=False
            )
            .order_by("employee_id", "competence_id", "-assessed_on", "-created_at", "-id")
            .values_list("employee_id", "competence_id", "level_id")
        ):
            current.setdefault((person_id, competence_id), level_id)

    identify_label = str(IdentifyBy(mapping.identify_by).label).split(" (")[0].lower()
    person_header = header[mapping.person_column] if mapping.person_column < len(header) else ""
    person_letter = get_column_letter(mapping.person_column + 1)
    rows_seen: dict[int, int] = {}
    data_rows = 0
    for number, cells in grid:
        if number <= mapping.header_row:
            continue
        width = len(cells)
        person_text = cells[mapping.person_column] if mapping.person_column < width else ""
        values = [
            (position, column, cells[column.index] if column.index < width else "")
            for position, column in enumerate(plan.columns)
        ]
        filled = [item for item in values if item[2].casefold() not in EMPTY_MARKS]
        if not person_text:
            if filled:
                problems.append(
                    MatrixProblem(number, person_header, "", "missing_person", {}, person_letter)
                )
            continue
        data_rows += 1
        plan.empty += len(values) - len(filled)
        employee_id = _match_person(
            number,
            person_text,
            mapping,
            index_of,
            info,
            identify_label,
            person_header,
            person_letter,
            problems,
            rows_seen,
            today,
            by,
            access,
            assessor,
        )
        if employee_id is not None:
            plan.people += 1
        for position, column, text in filled:
            lookup = lookups.get(column.scale_id or 0, {})
            level = lookup.get(text.casefold())
            if level is None:
                problems.append(
                    MatrixProblem(
                        number,
                        column.header,
                        text[:200],
                        "bad_level",
                        {
                            "scale": scale_names.get(column.scale_id or 0, ""),
                            "skill": column.header,
                            "allowed": allowed.get(column.scale_id or 0, ""),
                        },
                        column.letter,
                    )
                )
                continue
            if employee_id is None:
                continue
            if (
                column.competence_id
                and current.get((employee_id, column.competence_id)) == level.pk
            ):
                plan.unchanged += 1
            else:
                plan.records.append((employee_id, position, level.pk))
    if not data_rows and not problems:
        problems.append(MatrixProblem(0, "", "", "no_people_rows"))
    return plan


def _match_person(
    number: int,
    text: str,
    mapping: Mapping,
    index_of: dict[str, set[int]],
    info: dict[int, tuple[Any, ...]],
    identify_label: str,
    column: str,
    letter: str,
    problems: list[MatrixProblem],
    rows_seen: dict[int, int],
    today: datetime.date,
    by: User,
    access: Access,
    assessor: Employee | None,
) -> int | None:
    """The person of one row, or None with a problem."""
    by_name = mapping.identify_by == IdentifyBy.NAME
    key = normalise(text) if by_name else text.strip().casefold()
    matches = index_of.get(key, set())
    if not matches:
        problems.append(
            MatrixProblem(number, column, text, "unknown_person", {"by": identify_label}, letter)
        )
        return None
    if len(matches) > 1:
        names = ", ".join(sorted(_display_name(info[pk][0], info[pk][1]) for pk in matches))
        problems.append(
            MatrixProblem(number, column, text, "ambiguous_person", {"names": names}, letter)
        )
        return None
    (pk,) = matches
    first, last, exit_date, user_id, path = info[pk]
    name = _display_name(first, last)
    if pk in rows_seen:
        problems.append(
            MatrixProblem(
                number,
                column,
                text,
                "duplicate_person",
                {"name": name, "other": rows_seen[pk]},
                letter,
            )
        )
        return None
    rows_seen[pk] = number
    if exit_date is not None and exit_date < today:
        problems.append(
            MatrixProblem(
                number,
                column,
                text,
                "person_left",
                {"name": name, "date": exit_date.isoformat()},
                letter,
            )
        )
        return None
    if (assessor is not None and assessor.pk == pk) or (by.pk is not None and by.pk == user_id):
        problems.append(MatrixProblem(number, column, text, "own_level", {"name": name}, letter))
        return None
    if not access.covers_path(ASSESS_ROLES, path or ""):
        problems.append(MatrixProblem(number, column, text, "out_of_scope", {"name": name}, letter))
        return None
    return int(pk)


# --- Jobs ----------------------------------------------------------------------------------------


def _grid_of(job: ImportJob) -> Grid:
    return [(int(number), list(cells)) for number, cells in job.data.get("rows", [])]


def _store(job: ImportJob, plan: Plan) -> None:
    job.problem_count = len(plan.problems)
    job.problems = [problem.as_json() for problem in plan.problems[:MAX_PROBLEMS]]
    job.status = ImportStatus.INVALID if plan.problems else ImportStatus.READY
    job.create_count = len(plan.records)
    job.unchanged_count = plan.unchanged
    job.update_count = 0
    job.data["summary"] = plan.summary()


def _check(job: ImportJob, *, by: User, access: Access) -> Plan:
    mapping = Mapping.from_json(job.data["mapping"])
    return validate(
        organisation=job.organisation, by=by, access=access, grid=_grid_of(job), mapping=mapping
    )


def matrix_import_create(
    *, organisation: Organisation, by: User, access: Access, name: str, content: bytes
) -> ImportJob:
    """Read an uploaded matrix, guess the mapping and validate it; keep it as an ImportJob.

    Writes nothing else: the assessments are only recorded by `matrix_import_confirm`.
    """
    job = ImportJob(
        organisation=organisation, created_by=by, kind=ImportKind.MATRIX, file_name=name[:255]
    )
    try:
        grid = read_grid(name=name, content=content)
    except UnreadableFileError as refused:
        problem = refused.problem
        job.status = ImportStatus.INVALID
        job.problem_count = 1
        job.problems = [problem.as_json()]
        job.data = {}
        job.save()
        return job
    job.row_count = max(len(grid) - 1, 0)
    mapping = default_mapping(grid, assessor_id=access.employee_id)
    job.data = {"rows": grid, "mapping": mapping.as_json()}
    _store(job, _check(job, by=by, access=access))
    job.save()
    return job


def matrix_import_remap(*, job: ImportJob, by: User, access: Access, mapping: Mapping) -> ImportJob:
    """Keep the mapping the user chose and validate the sheet again with it."""
    if job.status not in (ImportStatus.INVALID, ImportStatus.READY) or not job.data.get("rows"):
        raise ValidationError(_("This import can no longer be changed."), code="not_changeable")
    job.data["mapping"] = mapping.as_json()
    _store(job, _check(job, by=by, access=access))
    job.save()
    return job


def matrix_import_confirm(*, job: ImportJob, by: User, access: Access) -> ImportJob:
    """Record the assessments of a ready matrix import, all or nothing, in one transaction.

    Claims the job with one conditional UPDATE (a double click runs it once) and validates again
    inside the transaction, since the data may have changed since the preview. Problems found
    then turn the job back to "has problems" with nothing written.
    """
    claimed = ImportJob.objects.filter(
        pk=job.pk, kind=ImportKind.MATRIX, status=ImportStatus.READY
    ).update(status=ImportStatus.RUNNING, started_at=timezone.now())
    if not claimed:
        raise ValidationError(
            _("This import has already started, or has problems to correct first."),
            code="not_ready",
        )
    job.refresh_from_db()
    organisation = job.organisation
    try:
        with transaction.atomic():
            Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
            plan = _check(job, by=by, access=access)
            if plan.problems:
                raise MatrixRefusedError(plan.problems)
            _write(job=job, plan=plan, by=by)
    except MatrixRefusedError:
        _store(job, plan)
    except DatabaseError:
        logger.exception("matrix import %s failed in the database", job.pk)
        job.status = ImportStatus.FAILED
        job.failure = str(imports.ERRORS["conflict"])
        job.data = {"summary": job.data.get("summary", {})}
    except Exception:
        # Never leave a job "running" after an error nobody foresaw; the log has the details.
        logger.exception("matrix import %s failed", job.pk)
        job.status = ImportStatus.FAILED
        job.failure = gettext(
            "The import stopped on an unexpected error; nothing was written. Try again, or "
            "send the file to your administrator."
        )
        job.data = {"summary": job.data.get("summary", {})}
    else:
        _store(job, plan)
        job.status = ImportStatus.DONE
        # The cells hold personal data; only the counts stay.
        job.data = {"summary": job.data["summary"], "mapping": job.data["mapping"]}
    job.finished_at = timezone.now()
    job.save()
    return job


def _write(*, job: ImportJob, plan: Plan, by: User) -> None:
    organisation = job.organisation
    mapping = Mapping.from_json(job.data["mapping"])
    new = [
        Competence(organisation=organisation, code=column.code, name=column.name)
        for column in plan.new_columns
    ]
    if new:
        Competence.objects.bulk_create(new)
        ids = dict(
            Competence.objects.filter(
                organisation=organisation, code__in=[c.code for c in new]
            ).values_list("code", "pk")
        )
        for column in plan.new_columns:
            column.competence_id = ids[column.code]
    note = gettext("Imported from %(file)s") % {"file": job.file_name}
    competence_ids = [column.competence_id for column in plan.columns]
    Assessment.objects.bulk_create(
        (
            Assessment(
                organisation=organisation,
                employee_id=employee_id,
                competence_id=competence_ids[position],  # type: ignore[misc]
                level_id=level_id,
                assessed_on=mapping.assessed_on,
                assessor_id=mapping.assessor_id,
                recorded_by=by,
                method=mapping.method,
                note=note,
                is_self=False,
            )
            for employee_id, position, level_id in plan.records
        ),
        batch_size=BATCH,
    )
    audit.record(
        actor=by,
        action="competences.matrix_imported",
        obj=job,
        after={
            "file": job.file_name,
            "people": plan.people,
            "competences": len(plan.columns),
            "new_competences": [column.code for column in plan.new_columns],
            "recorded": len(plan.records),
            "unchanged": plan.unchanged,
            "empty": plan.empty,
            "assessed_on": mapping.assessed_on,
            "method": mapping.method,
            "assessor": mapping.assessor_id,
        },
    )


def matrix_import_problems(job: ImportJob) -> list[MatrixProblem]:
    return [MatrixProblem.from_json(data) for data in job.problems]  # type: ignore[misc]


def matrix_import_list(*, organisation: Organisation, limit: int = 10) -> list[ImportJob]:
    """The organisation's latest matrix imports (one query)."""
    return list(
        ImportJob.objects.filter(organisation=organisation, kind=ImportKind.MATRIX)
        .select_related("created_by")
        .defer("data", "problems")[:limit]
    )
