"""Import and export of the competence catalogue as XLSX or CSV (COMP-01, see docs/import.md).

Plugged into the import framework of `leerplek/people/imports.py` by `register()` (called from
`CompetencesConfig.ready()`): the same upload, check, preview, confirm and export pages and the
same all-or-nothing rules. A row is a competence, recognised by its code. Besides the fixed
columns a file may hold one column per level of a scale, named "level <code>" (e.g. "level U"),
with what that level means for the competence; each row's texts are checked against the scale of
its own group. Groups that do not exist yet are created (and counted as new in the preview).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from leerplek.competences import catalogue_services, services
from leerplek.competences.models import (
    Assessment,
    Competence,
    CompetenceGroup,
    CompetenceKind,
    Level,
    LevelScale,
    Requirement,
    TrainingNeed,
)
from leerplek.core.access import Access
from leerplek.people import imports
from leerplek.people.imports import (
    CLEAR,
    DEFAULT,
    REQUIRED,
    Column,
    ExtraColumns,
    ImportRefusedError,
    Plan,
    Progress,
    RowReader,
    Table,
)
from leerplek.people.models import ImportJob, ImportKind, Organisation, User

KIND = ImportKind.COMPETENCES
LEVEL_PREFIX = "level "
LEVEL_COLUMN = re.compile(r"^\s*(?:level|niveau)[\s_:\-]*(\S.*?)\s*$", re.IGNORECASE)

COLUMNS = [
    Column(
        "code",
        _("A short code that identifies the competence; a competence with this code is updated."),
        REQUIRED,
        "HACCP-01",
    ),
    Column("name", _("The competence's name."), REQUIRED, "Work hygienically", width=32),
    Column(
        "group",
        _(
            "The name of its competence group; a group that does not exist yet is created. "
            "Empty: no group."
        ),
        CLEAR,
        "Hygiene",
        width=20,
    ),
    Column("kind", _("The kind of competence."), DEFAULT, "technical", CompetenceKind, "technical"),
    Column(
        "description",
        _("What the competence covers."),
        example="Follows the HACCP rules at the line.",
        width=40,
    ),
    Column(
        "active",
        _("yes or no (ja/nee, oui/non); an inactive competence is no longer offered."),
        DEFAULT,
        "yes",
        default="yes",
        width=10,
    ),
]

ERRORS: dict[str, str | Promise] = {
    "competence_bad_boolean": _(
        '"%(value)s" is not yes or no. Write yes or no (also ja/nee, oui/non, 1/0).'
    ),
    "competence_unknown_level": _(
        "The scale %(scale)s of this competence has no level %(level)s. Leave the cell empty, or "
        "write the text in a column of one of its levels: %(codes)s."
    ),
    "competence_group_scale": _(
        "This competence already has assessments or requirements on the scale %(old)s; in the "
        "group %(value)s it would be measured on %(new)s, where those levels do not fit. Keep "
        "its group."
    ),
}

ALIASES: dict[Any, dict[str, tuple[str, ...]]] = {
    CompetenceKind: {
        "technical": (
            "technisch",
            "vaktechnisch",
            "functiespecifiek",
            "jobspecifiek",
            "technique",
            "specifique au metier",
            "job specific",
            "hard skill",
        ),
        "general": ("algemeen", "generiek", "generale", "general", "transversal", "soft skill"),
        "attitude": ("houding", "attitude", "gedrag", "savoir etre"),
    }
}

YES = {"yes", "y", "ja", "j", "oui", "o", "true", "waar", "vrai", "1", "x", "active", "actief"}
NO = {"no", "n", "nee", "non", "false", "onwaar", "faux", "0", "inactive", "inactief", "inactif"}


def level_key(text: str) -> str | None:
    """The key of a level column ("level U", "Level_u", "niveau 3"), None for other names."""
    match = LEVEL_COLUMN.match(text)
    return f"{LEVEL_PREFIX}{match.group(1)}" if match else None


EXTRA = ExtraColumns(
    key_of=level_key,
    name=_("level <code>"),
    help=_(
        "One column per level, e.g. level U or level 4: what that level means for this "
        "competence (at most 500 characters). Only levels of the scale of the competence's "
        "group; an empty cell removes the text. Leave the column out to keep the texts."
    ),
)


# --- Validation ----------------------------------------------------------------------------------


@dataclass
class CompetenceItem:
    row: int
    competence_id: int | None
    values: dict[str, Any]  # all values for a new competence, the changes for an existing one
    group_name: str | None = None  # a group to find or create by name; "" for no group


class Scales:
    """The organisation's scales with their level codes in order of rank (two queries)."""

    def __init__(self, organisation: Organisation) -> None:
        self.default = services.default_scale(organisation)
        self.codes: dict[int, list[str]] = {}
        self.names: dict[int, str] = {}
        scales = LevelScale.objects.filter(organisation=organisation).prefetch_related(
            Prefetch("levels", queryset=Level.objects.order_by("rank"))
        )
        for scale in scales:
            self.codes[scale.pk] = [level.code for level in scale.levels.all()]
            self.names[scale.pk] = scale.name

    def code_in(self, scale_id: int, written: str) -> str | None:
        """The level code of the scale written as `written` (exactly, else ignoring case)."""
        codes = self.codes.get(scale_id, [])
        if written in codes:
            return written
        folded = [code for code in codes if code.casefold() == written.casefold()]
        return folded[0] if len(folded) == 1 else None


def _read_boolean(reader: RowReader, key: str) -> bool | None:
    value = reader.raw(key)
    if not value:
        return None
    word = imports.normalise(value)
    if word in YES:
        return True
    if word in NO:
        return False
    reader.problem(key, "competence_bad_boolean")
    return None


def _competences_with_levels(organisation: Organisation) -> set[int]:
    """Competences with assessments, requirements or training needs (three queries)."""
    used: set[int] = set()
    for model in (Assessment, Requirement, TrainingNeed):
        used.update(
            model.objects.filter(organisation=organisation)
            .values_list("competence_id", flat=True)
            .distinct()
        )
    return used


def validate_competences(*, organisation: Organisation, table: Table) -> Plan:
    """Check a catalogue file: values, codes (once per file), groups, level texts against the
    scale of each row's group, and group changes that would move given levels to another scale.
    A fixed number of queries whatever the size."""
    problems = list(table.problems)
    plan = Plan(kind=KIND, problems=problems)
    scales = Scales(organisation)
    by_id = {group.pk: group for group in CompetenceGroup.objects.filter(organisation=organisation)}
    groups = {group.name.casefold(): group for group in by_id.values()}
    existing = {
        competence.code.casefold(): competence
        for competence in Competence.objects.filter(organisation=organisation)
    }
    in_use = _competences_with_levels(organisation)
    level_columns = [key for key in table.columns if key.startswith(LEVEL_PREFIX)]
    new_groups: set[str] = set()
    seen: dict[str, int] = {}
    code_length = imports._max_length(Competence, "code")
    for number, cells in table.rows:
        reader = RowReader(table, number, cells, problems)
        code = reader.text("code", required=True, max_length=code_length)
        imports._duplicates(reader, "code", code, seen)
        current = existing.get(code.casefold()) if code else None
        values: dict[str, Any] = {
            "code": current.code if current is not None else code,
            "name": reader.text(
                "name", required=True, max_length=imports._max_length(Competence, "name")
            ),
        }
        if reader.has("kind"):
            values["kind"] = reader.choice("kind", CompetenceKind, required=False) or (
                current.kind if current is not None else CompetenceKind.TECHNICAL
            )
        if reader.has("description"):
            values["description"] = reader.text("description")
        if reader.has("active"):
            active = _read_boolean(reader, "active")
            values["is_active"] = (
                active if active is not None else (current.is_active if current else True)
            )
        # The group, and so the scale the level texts belong to.
        old_group = by_id.get(current.group_id) if current and current.group_id else None
        group = old_group
        group_name: str | None = None  # None: the file leaves the group alone
        if reader.has("group"):
            group_name = reader.text(
                "group", max_length=imports._max_length(CompetenceGroup, "name")
            )
            group = groups.get(group_name.casefold()) if group_name else None
            if group_name and group is None and group_name.casefold() not in new_groups:
                new_groups.add(group_name.casefold())
                plan.create_count += 1  # a new group counts as new in the preview
        scale_id = group.scale_id if group is not None and group.scale_id else scales.default.pk
        old_scale_id = (
            old_group.scale_id if old_group is not None and old_group.scale_id else None
        ) or scales.default.pk
        if current is not None and scale_id != old_scale_id and current.pk in in_use:
            reader.problem(
                "group",
                "competence_group_scale",
                old=scales.names[old_scale_id],
                new=scales.names[scale_id],
            )
        texts = _level_texts(reader, scales, scale_id, level_columns, current)
        if current is None:
            values["level_texts"] = texts
            plan.create_count += 1
            plan.items.append(CompetenceItem(number, None, values, group_name or ""))
            continue
        changed = {key: value for key, value in values.items() if getattr(current, key) != value}
        if texts != (current.level_texts or {}):
            changed["level_texts"] = texts
        group_changed = group_name is not None and (
            (group is None and bool(group_name))
            or (group.pk if group is not None else None) != current.group_id
        )
        if changed or group_changed:
            plan.update_count += 1
            plan.items.append(
                CompetenceItem(number, current.pk, changed, group_name if group_changed else None)
            )
        else:
            plan.unchanged_count += 1
    return plan


def _level_texts(
    reader: RowReader,
    scales: Scales,
    scale_id: int,
    columns: list[str],
    current: Competence | None,
) -> dict[str, str]:
    """The competence's texts per level after this row: the current ones that fit the scale,
    changed by the level columns of the file (an empty cell removes a text)."""
    codes = scales.codes.get(scale_id, [])
    texts = {
        code: text
        for code, text in ((current.level_texts or {}) if current is not None else {}).items()
        if code in codes
    }
    for key in columns:
        value = reader.raw(key)
        code = scales.code_in(scale_id, key[len(LEVEL_PREFIX) :])
        if code is None:
            if value:
                reader.problem(
                    key,
                    "competence_unknown_level",
                    scale=scales.names[scale_id],
                    level=key[len(LEVEL_PREFIX) :],
                    codes=", ".join(codes),
                )
            continue
        if len(value) > services.LEVEL_TEXT_MAX:
            reader.problem(key, "too_long", length=len(value), max=services.LEVEL_TEXT_MAX)
        elif value:
            texts[code] = value
        else:
            texts.pop(code, None)
    return {code: texts[code] for code in codes if code in texts}


# --- Writing -------------------------------------------------------------------------------------


def _columns_of(error: ValidationError) -> ValidationError:
    """A service's error keyed by the columns of the file (is_active: active, level_text_U:
    level U)."""
    if not hasattr(error, "error_dict"):
        return error
    renamed: dict[str, Any] = {}
    for name, errors in error.error_dict.items():
        if name == "is_active":
            name = "active"
        elif name.startswith("level_text_"):
            name = LEVEL_PREFIX + name[len("level_text_") :]
        elif name == "level_texts":
            name = "__all__"
        renamed.setdefault(name, []).extend(errors)
    return ValidationError(renamed)


def _no_progress(done: int) -> None:
    """Progress is optional."""


@transaction.atomic
def competence_import(
    *,
    organisation: Organisation,
    by: User,
    table: Table,
    source: ImportJob | None = None,
    progress: Progress = _no_progress,
) -> Plan:
    """Validate a catalogue file and write it through the competence services, creating the
    groups it names; one audit entry per change plus one for the import. All or nothing: raises
    ImportRefusedError with every problem when a row is wrong or a service refuses one."""
    plan = imports._valid_plan(organisation=organisation, table=table)
    groups = {
        group.name.casefold(): group
        for group in CompetenceGroup.objects.filter(organisation=organisation).select_related(
            "scale"
        )
    }
    for done, item in enumerate(plan.items, start=1):
        values = dict(item.values)
        try:
            if item.group_name is not None:
                values["group"] = _group(organisation, by, groups, item.group_name)
            if item.competence_id is None:
                services.competence_create(organisation=organisation, by=by, **values)
            else:
                competence = Competence.objects.select_related("group__scale", "organisation").get(
                    pk=item.competence_id
                )
                services.competence_update(competence=competence, by=by, **values)
        except ValidationError as error:
            raise imports._refusal(table, item.row, _columns_of(error)) from error
        progress(done)
    imports._summary(organisation=organisation, by=by, plan=plan, source=source)
    return plan


def _group(
    organisation: Organisation, by: User, groups: dict[str, CompetenceGroup], name: str
) -> CompetenceGroup | None:
    if not name:
        return None
    group = groups.get(name.casefold())
    if group is None:
        try:
            group = catalogue_services.group_create(organisation=organisation, by=by, name=name)
        except ValidationError as error:
            raise ValidationError({"group": error.messages}) from error
        groups[name.casefold()] = group
    return group


# --- Export --------------------------------------------------------------------------------------


def level_columns(organisation: Organisation) -> list[str]:
    """One column per level code of the organisation's scales, the default scale's first
    (one query)."""
    columns: list[str] = []
    levels = (
        Level.objects.filter(scale__organisation=organisation)
        .order_by("-scale__is_default", "scale__name", "scale_id", "rank")
        .values_list("code", flat=True)
    )
    for code in levels:
        if LEVEL_PREFIX + code not in columns:
            columns.append(LEVEL_PREFIX + code)
    return columns


def export_rows(*, organisation: Organisation, columns: list[str]) -> Iterator[list[Any]]:
    """The catalogue by code with its groups and level texts (one query)."""
    competences = (
        Competence.objects.filter(organisation=organisation)
        .select_related("group")
        .order_by("code")
    )
    for competence in competences.iterator(chunk_size=2000):
        texts = competence.level_texts or {}
        yield [
            competence.code,
            competence.name,
            competence.group.name if competence.group else "",
            competence.kind,
            competence.description,
            "yes" if competence.is_active else "no",
            *(texts.get(key[len(LEVEL_PREFIX) :], "") for key in columns),
        ]


def export_workbook(*, access: Access) -> bytes:
    """An XLSX of the catalogue in the columns of the template, plus a column per level."""
    organisation = access.organisation
    assert organisation is not None
    columns = level_columns(organisation)
    rows = export_rows(organisation=organisation, columns=columns)
    return imports._workbook(KIND, rows, [(column, 30) for column in columns])


def register() -> None:
    imports.register_kind(
        KIND,
        columns=COLUMNS,
        validator=validate_competences,
        importer=competence_import,
        exporter=export_workbook,
        errors=ERRORS,
        aliases=ALIASES,
        extra_columns=EXTRA,
    )


__all__ = ["ImportRefusedError", "register"]
