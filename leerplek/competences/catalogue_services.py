"""Writes on the configuration of the catalogue: competence groups, level scales and their levels.

Every function validates first, writes inside one transaction and appends to the audit log.
A scale whose levels are in use (by assessments, requirements or training needs) keeps its levels
and their meaning: only the texts of a level may change then, and a group cannot move its
competences to another scale.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from leerplek.competences.models import (
    Assessment,
    Competence,
    CompetenceGroup,
    Level,
    LevelScale,
    Requirement,
    TrainingNeed,
)
from leerplek.competences.services import default_scale
from leerplek.core import audit
from leerplek.core.errors import field_error
from leerplek.people.models import Organisation, User

GROUP_FIELDS = ["name", "description", "scale"]
LEVEL_FIELDS = ["code", "rank", "name", "description", "counts_for_coverage", "may_train"]
LEVEL_TEXT_FIELDS = ["name", "description"]

ERRORS = {
    "other_organisation": _("Choose one from this organisation."),
    "duplicate_group": _("Another group in this organisation already has this name."),
    "duplicate_scale": _("Another scale in this organisation already has this name."),
    "duplicate_level_code": _("Another level of this scale already has the code %(code)s."),
    "duplicate_level_rank": _("Another level of this scale already has rank %(rank)s."),
    "scale_without_coverage": _(
        "The scale %(scale)s has no level that counts for coverage. Add one (e.g. the level at "
        "which a person works independently) before you give the scale to a group."
    ),
    "scale_change_in_use": _(
        "Its competences already have %(what)s on the scale %(old)s; those levels would no "
        "longer fit the scale %(new)s. Keep the scale, or create a new group for the new scale."
    ),
    "delete_group_in_use": _(
        "This group measures on its own scale %(old)s and its competences already have %(what)s "
        "on it; without the group they would move to the default scale %(new)s, where those "
        "levels do not fit. Keep the group."
    ),
    "delete_default_scale": _(
        "This is the organisation's default scale, used by every competence without a group "
        "scale. It cannot be deleted."
    ),
    "delete_scale_groups": _("The groups %(groups)s use this scale. Give them another first."),
    "delete_scale_levels": _(
        "Its levels are used by %(what)s. A scale in use stays, so the history keeps its meaning."
    ),
    "level_in_use": _(
        "Levels of this scale are already used by %(what)s; only the name and description of a "
        "level can change now."
    ),
}

# (code, name, description, counts for coverage, may train); rank = the number itself.
NUMERIC_LEVELS = (
    ("1", _("Aware"), _("Knows what it is about; does not do it on his own yet."), False, False),
    ("2", _("Learning"), _("Does it under supervision; still learning."), False, False),
    (
        "3",
        _("With help"),
        _("Does it with occasional help; not yet always to standard."),
        False,
        False,
    ),
    (
        "4",
        _("Independent"),
        _("Does it independently, to standard and on time."),
        True,
        False,
    ),
    (
        "5",
        _("Expert"),
        _("Masters it, handles the exceptions and can teach it to others."),
        True,
        True,
    ),
)
NUMERIC = "numeric"
EMPTY = "empty"


# --- What uses a scale ---------------------------------------------------------------------------


def _uses(level_filter: Q, competence_filter: Q | None = None) -> list[str]:
    """What refers to levels matching `level_filter` (optionally only for some competences):
    a list like ["assessments", "requirements"], three queries at most."""
    used = []
    for model, label in (
        (Assessment, _("assessments")),
        (Requirement, _("requirements")),
        (TrainingNeed, _("training needs")),
    ):
        field = "required_level" if model is TrainingNeed else "level"
        rows = model.objects.filter(
            Q(**{f"{field}__isnull": False}) & _prefixed(level_filter, field)
        )
        if competence_filter is not None:
            rows = rows.filter(_prefixed(competence_filter, "competence"))
        if rows.exists():
            used.append(str(label))
    return used


def _prefixed(condition: Q, prefix: str) -> Q:
    """`condition` (written on a Level or a Competence) seen from a related model's field."""
    result = Q()
    result.connector = condition.connector
    result.negated = condition.negated
    for child in condition.children:
        if isinstance(child, Q):
            result.children.append(_prefixed(child, prefix))
        else:
            name, value = child  # type: ignore[misc]
            result.children.append((f"{prefix}__{name}", value))
    return result


def _and(parts: list[str]) -> str:
    return ", ".join(parts)


def scale_in_use(scale: LevelScale) -> list[str]:
    """What uses the levels of `scale` (assessments, requirements, training needs)."""
    return _uses(Q(scale=scale))


def check_scale_for_group(scale: LevelScale | None) -> None:
    """A group's scale needs a level that counts for coverage (else nobody ever covers)."""
    if scale is not None and not scale.levels.filter(counts_for_coverage=True).exists():
        raise field_error(
            "scale",
            ERRORS["scale_without_coverage"],
            code="scale_without_coverage",
            params={"scale": scale.name},
        )


def check_competences_fit(
    *,
    organisation: Organisation,
    competences: Q,
    old: LevelScale,
    new: LevelScale,
    field: str = "scale",
    code: str = "scale_change_in_use",
) -> None:
    """Refuse moving `competences` from scale `old` to `new` when they have levels on `old`."""
    if old.pk == new.pk:
        return
    used = _uses(~Q(scale=new), competences & Q(organisation=organisation))
    if used:
        raise field_error(
            field,
            ERRORS[code],
            code=code,
            params={"what": _and(used), "old": old.name, "new": new.name},
        )


# --- Groups --------------------------------------------------------------------------------------


def _check_group_values(organisation: Organisation, group: CompetenceGroup) -> None:
    others = CompetenceGroup.objects.filter(organisation=organisation, name__iexact=group.name)
    if group.pk is not None:
        others = others.exclude(pk=group.pk)
    if group.name and others.exists():
        raise field_error("name", ERRORS["duplicate_group"], code="duplicate_group")
    if group.scale is not None and group.scale.organisation_id != organisation.pk:
        raise field_error("scale", ERRORS["other_organisation"], code="other_organisation")
    check_scale_for_group(group.scale)


@transaction.atomic
def group_create(
    *,
    organisation: Organisation,
    by: User,
    name: str,
    description: str = "",
    scale: LevelScale | None = None,
) -> CompetenceGroup:
    """Add a competence group. Raises ValidationError on "name" or "scale"."""
    group = CompetenceGroup(
        organisation=organisation, name=name.strip(), description=description, scale=scale
    )
    _check_group_values(organisation, group)
    group.full_clean(exclude=["organisation"])
    group.save()
    audit.record(
        actor=by,
        action="competences.group_created",
        obj=group,
        after=audit.snapshot(group, GROUP_FIELDS),
    )
    return group


@transaction.atomic
def group_update(*, group: CompetenceGroup, by: User, **values: Any) -> CompetenceGroup:
    """Change a group's name, description or scale.

    Another scale is refused while the group's competences have assessments, requirements or
    training needs on the old one (their levels would no longer fit). Raises ValidationError on
    "name" or "scale".
    """
    organisation = group.organisation
    before = audit.snapshot(group, GROUP_FIELDS)
    old_scale = group.scale or default_scale(organisation)
    for name in GROUP_FIELDS:
        if name in values:
            setattr(group, name, values[name].strip() if name == "name" else values[name])
    _check_group_values(organisation, group)
    new_scale = group.scale or default_scale(organisation)
    check_competences_fit(
        organisation=organisation, competences=Q(group=group), old=old_scale, new=new_scale
    )
    group.full_clean(exclude=["organisation"])
    group.save()
    old, new = audit.changed(before, audit.snapshot(group, GROUP_FIELDS))
    audit.record(actor=by, action="competences.group_updated", obj=group, before=old, after=new)
    return group


@transaction.atomic
def group_delete(*, group: CompetenceGroup, by: User) -> int:
    """Delete a group; its competences stay in the catalogue without a group (and so move to the
    default scale). Refused when that would move levels already given on the group's own scale.
    Returns the number of competences that lost their group."""
    organisation = group.organisation
    if group.scale is not None:
        check_competences_fit(
            organisation=organisation,
            competences=Q(group=group),
            old=group.scale,
            new=default_scale(organisation),
            field="__all__",
            code="delete_group_in_use",
        )
    before = audit.snapshot(group, GROUP_FIELDS)
    ungrouped = Competence.objects.filter(group=group).update(group=None)
    audit.record(
        actor=by,
        action="competences.group_deleted",
        obj=group,
        before={**before, "competences": ungrouped},
    )
    group.delete()
    return ungrouped


# --- Scales and levels ---------------------------------------------------------------------------


def _check_scale_name(organisation: Organisation, name: str, exclude: int | None = None) -> None:
    others = LevelScale.objects.filter(organisation=organisation, name__iexact=name)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if others.exists():
        raise field_error("name", ERRORS["duplicate_scale"], code="duplicate_scale")


@transaction.atomic
def scale_create(
    *, organisation: Organisation, by: User, name: str, preset: str = EMPTY
) -> LevelScale:
    """Create a scale, empty or with the numeric levels 1 to 5 (4 and 5 count for coverage,
    5 may train). Raises ValidationError on "name"."""
    default_scale(organisation)  # the default stays ILUO: create it first if it is missing
    name = name.strip()
    _check_scale_name(organisation, name)
    scale = LevelScale(organisation=organisation, name=name, is_default=False)
    scale.full_clean(exclude=["organisation"])
    scale.save()
    if preset == NUMERIC:
        Level.objects.bulk_create(
            Level(
                scale=scale,
                code=code,
                rank=int(code),
                name=str(level_name),
                description=str(description),
                counts_for_coverage=covers,
                may_train=trains,
            )
            for code, level_name, description, covers, trains in NUMERIC_LEVELS
        )
    audit.record(
        actor=by,
        action="competences.scale_created",
        obj=scale,
        after={"name": scale.name, "levels": list(scale.levels.values_list("code", flat=True))},
    )
    return scale


@transaction.atomic
def scale_update(*, scale: LevelScale, by: User, name: str) -> LevelScale:
    """Rename a scale. Raises ValidationError on "name"."""
    before = scale.name
    scale.name = name.strip()
    _check_scale_name(scale.organisation, scale.name, exclude=scale.pk)
    scale.full_clean(exclude=["organisation"])
    scale.save(update_fields=["name"])
    if before != scale.name:
        audit.record(
            actor=by,
            action="competences.scale_updated",
            obj=scale,
            before={"name": before},
            after={"name": scale.name},
        )
    return scale


def scale_delete_refusal(scale: LevelScale) -> str | None:
    """Why `scale` cannot be deleted, or None when it can."""
    if scale.is_default:
        return str(ERRORS["delete_default_scale"])
    groups = list(scale.groups.order_by("name").values_list("name", flat=True))
    if groups:
        return str(ERRORS["delete_scale_groups"]) % {"groups": _and(groups)}
    used = scale_in_use(scale)
    if used:
        return str(ERRORS["delete_scale_levels"]) % {"what": _and(used)}
    return None


@transaction.atomic
def scale_delete(*, scale: LevelScale, by: User) -> None:
    """Delete a scale that nothing uses. Raises ValidationError (not a field's) saying why not."""
    scale = LevelScale.objects.select_for_update().get(pk=scale.pk)
    refusal = scale_delete_refusal(scale)
    if refusal is not None:
        raise field_error("__all__", refusal, code="scale_in_use")
    audit.record(
        actor=by,
        action="competences.scale_deleted",
        obj=scale,
        before={"name": scale.name, "levels": list(scale.levels.values_list("code", flat=True))},
    )
    scale.delete()


def _check_level(scale: LevelScale, level: Level) -> None:
    others = Level.objects.filter(scale=scale)
    if level.pk is not None:
        others = others.exclude(pk=level.pk)
    if others.filter(code=level.code).exists():
        raise field_error(
            "code",
            ERRORS["duplicate_level_code"],
            code="duplicate_level_code",
            params={"code": level.code},
        )
    if others.filter(rank=level.rank).exists():
        raise field_error(
            "rank",
            ERRORS["duplicate_level_rank"],
            code="duplicate_level_rank",
            params={"rank": level.rank},
        )


@transaction.atomic
def level_add(
    *,
    scale: LevelScale,
    by: User,
    code: str,
    rank: int,
    name: str,
    description: str = "",
    counts_for_coverage: bool = False,
    may_train: bool = False,
) -> Level:
    """Add a level to a scale whose levels nobody uses yet (adding one in the middle would change
    what the existing ones mean). Raises ValidationError on "code" or "rank"."""
    used = scale_in_use(scale)
    if used:
        raise field_error(
            "__all__", ERRORS["level_in_use"], code="level_in_use", params={"what": _and(used)}
        )
    level = Level(
        scale=scale,
        code=code.strip(),
        rank=rank,
        name=name.strip(),
        description=description.strip(),
        counts_for_coverage=counts_for_coverage,
        may_train=may_train,
    )
    _check_level(scale, level)
    level.full_clean(exclude=["scale"], validate_constraints=False)
    level.save()
    audit.record(
        actor=by,
        action="competences.level_added",
        obj=scale,
        after=audit.snapshot(level, LEVEL_FIELDS),
    )
    return level


@transaction.atomic
def level_update(*, level: Level, by: User, name: str, description: str = "") -> Level:
    """Change the texts of a level (any scale, also one in use). Raises ValidationError on
    "name" or "description"."""
    before = audit.snapshot(level, LEVEL_TEXT_FIELDS)
    level.name = name.strip()
    level.description = description.strip()
    level.full_clean(exclude=["scale"], validate_constraints=False)
    level.save(update_fields=LEVEL_TEXT_FIELDS)
    old, new = audit.changed(before, audit.snapshot(level, LEVEL_TEXT_FIELDS))
    if new:
        audit.record(
            actor=by,
            action="competences.level_updated",
            obj=level.scale,
            before={"code": level.code, **old},
            after={"code": level.code, **new},
        )
    return level


@transaction.atomic
def level_delete(*, level: Level, by: User) -> None:
    """Delete a level of a scale whose levels nobody uses yet (to correct a mistake)."""
    scale = level.scale
    used = scale_in_use(scale)
    if used:
        raise field_error(
            "__all__", ERRORS["level_in_use"], code="level_in_use", params={"what": _and(used)}
        )
    audit.record(
        actor=by,
        action="competences.level_deleted",
        obj=scale,
        before=audit.snapshot(level, LEVEL_FIELDS),
    )
    level.delete()
