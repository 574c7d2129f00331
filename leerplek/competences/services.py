"""Writes on competences, requirements, assessments and releases to work alone.

Every function validates first, writes inside one transaction and appends to the audit log.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerplek.competences import evidence as evidence_files
from leerplek.competences.models import (
    Assessment,
    AssessmentMethod,
    Competence,
    Level,
    LevelScale,
    Requirement,
    WorkRelease,
)
from leerplek.core import audit
from leerplek.core.errors import field_error
from leerplek.people.models import Employee, Job, Organisation, User, Workstation

COMPETENCE_FIELDS = ["code", "name", "kind", "description", "is_active", "group", "level_texts"]
REQUIREMENT_FIELDS = ["level", "mandatory", "validity_months", "ideal_count", "ideal_trainers"]

ERRORS = {
    "other_organisation": _("Choose one from this organisation."),
    "duplicate_code": _("Another competence in this organisation already uses this code."),
    "job_or_workstation": _("Choose either a function or a workstation, not both."),
    "level_scale": _("Choose a level of the scale %(scale)s."),
    "future_date": _("The assessment date cannot be in the future; today is %(today)s."),
    "person_left": _("%(name)s left on %(date)s; record no new assessments for this person."),
    "own_level": _("Nobody validates his own level. Ask a colleague with scope to assess you."),
    "assessor_missing": _("Choose who assessed the level."),
    "assessor_scope": _(
        "%(name)s may not assess this person: only a line manager, coach, instructor or HR "
        "with scope over the person can."
    ),
    "valid_until_before": _("The valid-until date must be on or after the assessment date."),
    "release_future": _("The release date cannot be in the future."),
    "already_released": _("This person is already released to work alone at this workstation."),
    "already_revoked": _("This release was already revoked."),
    "revoke_before_release": _("The revocation cannot be before the release (%(date)s)."),
    "trainers_over_ideal": _(
        "The ideal number of people who can teach it (%(trainers)s) cannot be more than the "
        "ideal number of people at U or higher (%(ideal)s): those who teach it also cover it."
    ),
}

# (code, rank, name, description, counts for coverage, may train)
ILUO_LEVELS = (
    ("0", 0, _("None"), _("Has not learned this yet."), False, False),
    ("I", 1, _("In training"), _("Is learning it; works only under supervision."), False, False),
    ("L", 2, _("With help"), _("Can do it with help; not yet to standard."), False, False),
    ("U", 3, _("Independent"), _("Can do it independently, to standard and on time."), True, False),
    ("O", 4, _("Can teach"), _("Can do it independently and can teach it to others."), True, True),
)


def default_scale(organisation: Organisation) -> LevelScale:
    """The organisation's default scale, creating the ILUO scale the first time it is needed.

    Level names are stored in the language active at creation; codes are what the matrix shows.
    """
    scale = LevelScale.objects.filter(organisation=organisation, is_default=True).first()
    if scale is not None:
        return scale
    with transaction.atomic():
        # Lock the organisation: two first users at once must not create two default scales.
        Organisation.objects.select_for_update().get(pk=organisation.pk)
        scale = LevelScale.objects.filter(organisation=organisation, is_default=True).first()
        if scale is not None:
            return scale
        scale = LevelScale.objects.create(organisation=organisation, name="ILUO", is_default=True)
        Level.objects.bulk_create(
            Level(
                scale=scale,
                code=code,
                rank=rank,
                name=str(name),
                description=str(description),
                counts_for_coverage=covers,
                may_train=trains,
            )
            for code, rank, name, description, covers, trains in ILUO_LEVELS
        )
    return scale


def _same_organisation(organisation: Organisation, field: str, obj: Any) -> None:
    if obj is not None and obj.organisation_id != organisation.pk:
        raise field_error(field, ERRORS["other_organisation"], code="other_organisation")


def scale_for(competence: Competence) -> LevelScale:
    """The scale `competence` is measured on: its group's scale, else the organisation's default."""
    group = competence.group
    if group is not None and group.scale_id is not None:
        return group.scale  # type: ignore[return-value]
    return default_scale(competence.organisation)


def _check_level(competence: Competence, level: Level) -> None:
    scale = scale_for(competence)
    if level.scale_id != scale.pk:
        raise field_error(
            "level", ERRORS["level_scale"], code="level_scale", params={"scale": scale.name}
        )


# --- Competences ---------------------------------------------------------------------------------


def _check_code(organisation: Organisation, code: str, exclude: int | None = None) -> None:
    others = Competence.objects.filter(organisation=organisation, code=code)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if others.exists():
        raise field_error("code", ERRORS["duplicate_code"], code="duplicate_code")


LEVEL_TEXT_MAX = 500
CATALOGUE_ERRORS = {
    "level_text_code": _(
        "The scale %(scale)s has no level %(code)s. Write texts only for its levels: %(codes)s."
    ),
    "level_text_long": _(
        "The text for level %(code)s is %(length)s characters long; shorten it to at most %(max)s."
    ),
    "group_scale_in_use": _(
        "This competence already has %(what)s on the scale %(old)s; in the group %(group)s it "
        "would be measured on %(new)s, where those levels do not fit. Keep its group."
    ),
}


def _check_catalogue_values(competence: Competence, old_scale: LevelScale | None) -> None:
    """The group belongs to the organisation; moving to a group with another scale is refused
    when the competence has levels on the old one; level texts only for levels of its scale."""
    from leerplek.competences.catalogue_services import _uses

    group = competence.group
    _same_organisation(competence.organisation, "group", group)
    scale = scale_for(competence)
    if old_scale is not None and old_scale.pk != scale.pk and competence.pk is not None:
        used = _uses(~Q(scale=scale), Q(pk=competence.pk))
        if used:
            raise field_error(
                "group",
                CATALOGUE_ERRORS["group_scale_in_use"],
                code="group_scale_in_use",
                params={
                    "what": ", ".join(used),
                    "old": old_scale.name,
                    "new": scale.name,
                    "group": group.name if group is not None else "-",
                },
            )
    texts = competence.level_texts or {}
    if not isinstance(texts, dict):
        texts = {}
    codes = list(scale.levels.order_by("rank").values_list("code", flat=True))
    cleaned: dict[str, str] = {}
    for code, text in texts.items():
        text = str(text or "").strip()
        if not text:
            continue
        if code not in codes:
            raise field_error(
                "level_texts",
                CATALOGUE_ERRORS["level_text_code"],
                code="level_text_code",
                params={"scale": scale.name, "code": code, "codes": ", ".join(codes)},
            )
        if len(text) > LEVEL_TEXT_MAX:
            raise field_error(
                f"level_text_{code}",
                CATALOGUE_ERRORS["level_text_long"],
                code="level_text_long",
                params={"code": code, "length": len(text), "max": LEVEL_TEXT_MAX},
            )
        cleaned[code] = text
    competence.level_texts = {code: cleaned[code] for code in codes if code in cleaned}


def _set_catalogue_values(competence: Competence, values: dict[str, Any]) -> None:
    for name in COMPETENCE_FIELDS:
        if name in values:
            setattr(competence, name, values[name])
    if "group" in values and "level_texts" not in values and competence.level_texts:
        # Moved to another scale without new texts: keep only the texts of levels it still has.
        codes = set(scale_for(competence).levels.values_list("code", flat=True))
        competence.level_texts = {
            code: text for code, text in competence.level_texts.items() if code in codes
        }


@transaction.atomic
def competence_create(*, organisation: Organisation, by: User, **values: Any) -> Competence:
    """Add a competence to the catalogue (COMP-01), optionally in a group (of this organisation)
    with a text per level of its scale ({level code: text}, at most 500 characters each).
    Raises ValidationError on "code", "group", "level_texts" or "level_text_<code>"."""
    competence = Competence(organisation=organisation)
    _set_catalogue_values(competence, values)
    _check_code(organisation, competence.code)
    _check_catalogue_values(competence, None)
    competence.full_clean(exclude=["organisation"])
    competence.save()
    audit.record(
        actor=by,
        action="competences.competence_created",
        obj=competence,
        after=audit.snapshot(competence, COMPETENCE_FIELDS),
    )
    return competence


@transaction.atomic
def competence_update(*, competence: Competence, by: User, **values: Any) -> Competence:
    """Change a competence of the catalogue. Another group with another scale is refused while
    the competence has assessments, requirements or training needs on its current scale.
    Raises ValidationError on "code", "group", "level_texts" or "level_text_<code>"."""
    before = audit.snapshot(competence, COMPETENCE_FIELDS)
    old_scale = scale_for(competence)
    _set_catalogue_values(competence, values)
    _check_code(competence.organisation, competence.code, exclude=competence.pk)
    _check_catalogue_values(competence, old_scale)
    competence.full_clean(exclude=["organisation"])
    competence.save()
    old, new = audit.changed(before, audit.snapshot(competence, COMPETENCE_FIELDS))
    audit.record(
        actor=by, action="competences.competence_updated", obj=competence, before=old, after=new
    )
    return competence


# --- Requirements --------------------------------------------------------------------------------


@transaction.atomic
def requirement_set(
    *,
    competence: Competence,
    by: User,
    level: Level,
    job: Job | None = None,
    workstation: Workstation | None = None,
    mandatory: bool = True,
    validity_months: int | None = None,
    ideal_count: int = 0,
    ideal_trainers: int = 0,
) -> Requirement:
    """Create or change the requirement of `competence` for a function or a workstation (COMP-02).

    Rules: exactly one of job or workstation, all of this organisation; the level belongs to the
    organisation's scale; the ideal number of people who may teach it (ideal_trainers) is at most
    ideal_count, since they cover it too. Raises ValidationError on "job", "workstation", "level"
    or "ideal_trainers".
    """
    organisation = competence.organisation
    if (job is None) == (workstation is None):
        field = "workstation" if job is not None else "job"
        raise field_error(field, ERRORS["job_or_workstation"], code="job_or_workstation")
    _same_organisation(organisation, "job", job)
    _same_organisation(organisation, "workstation", workstation)
    _check_level(competence, level)
    if ideal_trainers > ideal_count:
        raise field_error(
            "ideal_trainers",
            ERRORS["trainers_over_ideal"],
            code="trainers_over_ideal",
            params={"trainers": ideal_trainers, "ideal": ideal_count},
        )
    target: dict[str, Any] = {"job": job} if job is not None else {"workstation": workstation}
    requirement = (
        Requirement.objects.select_for_update().filter(competence=competence, **target).first()
    )
    created = requirement is None
    if requirement is None:
        requirement = Requirement(organisation=organisation, competence=competence, **target)
        before: dict[str, Any] = {}
    else:
        before = audit.snapshot(requirement, REQUIREMENT_FIELDS)
    requirement.level = level
    requirement.mandatory = mandatory
    requirement.validity_months = validity_months
    requirement.ideal_count = ideal_count
    requirement.ideal_trainers = ideal_trainers
    requirement.full_clean(exclude=["organisation", "competence"], validate_constraints=False)
    requirement.save()
    old, new = audit.changed(before, audit.snapshot(requirement, REQUIREMENT_FIELDS))
    audit.record(
        actor=by,
        action="competences.requirement_set",
        obj=competence,
        before=old or None,
        after={
            **new,
            "job": getattr(job, "pk", None),
            "workstation": getattr(workstation, "pk", None),
        }
        if created or new
        else None,
    )
    return requirement


@transaction.atomic
def requirement_remove(*, requirement: Requirement, by: User) -> None:
    """Remove a requirement; the competence and its assessments stay."""
    competence = requirement.competence
    before = {
        "job": requirement.job_id,
        "workstation": requirement.workstation_id,
        **audit.snapshot(requirement, REQUIREMENT_FIELDS),
    }
    requirement.delete()
    audit.record(actor=by, action="competences.requirement_removed", obj=competence, before=before)


# --- Assessments ---------------------------------------------------------------------------------


def assessment_record(
    *,
    employee: Employee,
    competence: Competence,
    level: Level,
    assessed_on: datetime.date,
    by: User,
    method: str,
    assessor: Employee | None = None,
    note: str = "",
    valid_until: datetime.date | None = None,
    evidence: UploadedFile | None = None,
) -> Assessment:
    """Record a new assessment of `employee` on `competence`; earlier ones stay as history.

    A self-assessment (method self_assessment) needs no assessor and never sets the official
    level. An official one needs an assessor who is not the assessed person and who holds
    `competences.assess_employee` on him. The level belongs to the organisation's scale, the date
    is not in the future and the person has not left. Raises ValidationError keyed by field.

    `evidence` (a PDF or photo, also allowed with a self-assessment) is checked with the rest and
    stored only when all is valid; it is removed again when the row or its commit fails.
    """
    organisation = employee.organisation
    _same_organisation(organisation, "competence", competence)
    _same_organisation(organisation, "assessor", assessor)
    _check_level(competence, level)
    today = timezone.localdate()
    if assessed_on > today:
        raise field_error(
            "assessed_on", ERRORS["future_date"], code="future_date", params={"today": today}
        )
    if employee.exit_date is not None and employee.exit_date < today:
        raise field_error(
            "employee",
            ERRORS["person_left"],
            code="person_left",
            params={"name": employee, "date": employee.exit_date},
        )
    if valid_until is not None and valid_until < assessed_on:
        raise field_error("valid_until", ERRORS["valid_until_before"], code="valid_until_before")
    is_self = method == AssessmentMethod.SELF_ASSESSMENT
    if is_self:
        assessor = employee
    else:
        if assessor is None:
            raise field_error("assessor", ERRORS["assessor_missing"], code="assessor_missing")
        if assessor.pk == employee.pk or (by.pk is not None and by.pk == employee.user_id):
            raise field_error("assessor", ERRORS["own_level"], code="own_level")
        if not by.has_perm("competences.assess_employee", employee):
            raise PermissionDenied
    if evidence is not None:
        try:
            evidence_files.check(evidence)
        except ValidationError as error:
            raise ValidationError({"evidence": error}) from error
    assessment = Assessment(
        organisation=organisation,
        employee=employee,
        competence=competence,
        level=level,
        assessed_on=assessed_on,
        assessor=assessor,
        recorded_by=by,
        method=method,
        note=note,
        valid_until=valid_until,
        is_self=is_self,
    )
    # The file is stored first (the row holds its name) and removed if the write fails; the
    # transaction is inside, so a failed commit removes it too.
    with evidence_files.attached(assessment, evidence), transaction.atomic():
        assessment.save()
        audit.record(
            actor=by,
            action="competences.self_assessed" if is_self else "competences.assessed",
            obj=employee,
            after={
                "competence": competence.code,
                "level": level.code,
                "assessed_on": assessed_on,
                "assessor": getattr(assessor, "pk", None),
                "method": method,
                "evidence": assessment.evidence_name,
            },
        )
    return assessment


# --- Release to work alone -----------------------------------------------------------------------


@transaction.atomic
def work_release_grant(
    *,
    employee: Employee,
    workstation: Workstation,
    released_on: datetime.date,
    by: User,
    note: str = "",
) -> WorkRelease:
    """Release `employee` to work alone at `workstation` (ONB-09). Only a line manager (or the
    administrator) with scope over the person decides; raises PermissionDenied otherwise, and
    ValidationError on "workstation" or "released_on"."""
    organisation = employee.organisation
    if not by.has_perm("competences.release_employee", employee):
        raise PermissionDenied
    _same_organisation(organisation, "workstation", workstation)
    if released_on > timezone.localdate():
        raise field_error("released_on", ERRORS["release_future"], code="release_future")
    if employee.exit_date is not None and employee.exit_date < timezone.localdate():
        raise field_error(
            "employee",
            ERRORS["person_left"],
            code="person_left",
            params={"name": employee, "date": employee.exit_date},
        )
    # Lock the person's releases: two clicks must not make two open releases.
    open_releases = WorkRelease.objects.select_for_update().filter(
        employee=employee, workstation=workstation, revoked_on__isnull=True
    )
    if open_releases.exists():
        raise field_error("workstation", ERRORS["already_released"], code="already_released")
    release = WorkRelease.objects.create(
        organisation=organisation,
        employee=employee,
        workstation=workstation,
        released_on=released_on,
        released_by=by,
        note=note,
    )
    audit.record(
        actor=by,
        action="competences.work_released",
        obj=employee,
        after={"workstation": workstation.code, "released_on": released_on},
    )
    return release


@transaction.atomic
def work_release_revoke(
    *, release: WorkRelease, by: User, revoked_on: datetime.date | None = None
) -> WorkRelease:
    """Revoke a release to work alone; the row stays as history. Manager-only, like the grant."""
    release = (
        WorkRelease.objects.select_for_update(of=("self",))
        .select_related("employee__unit")
        .get(pk=release.pk)
    )
    if not by.has_perm("competences.release_employee", release.employee):
        raise PermissionDenied
    if release.revoked_on is not None:
        raise field_error("revoked_on", ERRORS["already_revoked"], code="already_revoked")
    day = revoked_on or timezone.localdate()
    if day < release.released_on:
        raise field_error(
            "revoked_on",
            ERRORS["revoke_before_release"],
            code="revoke_before_release",
            params={"date": release.released_on},
        )
    release.revoked_on = day
    release.save(update_fields=["revoked_on"])
    audit.record(
        actor=by,
        action="competences.work_release_revoked",
        obj=release.employee,
        after={"workstation": release.workstation_id, "revoked_on": day},
    )
    return release
