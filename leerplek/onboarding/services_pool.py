"""Writes for the peter/meter pool (MEN-02..06, MEN-13, MEN-14).

HR keeps the eligibility criteria and decides who enters the pool; a line manager proposes people
of his units and confirms their qualities; anybody may volunteer himself. Each write checks the
permission of `by`, validates before writing and leaves one audit entry.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from leerplek.competences import evidence as evidence_files
from leerplek.core import audit
from leerplek.core.errors import field_error
from leerplek.onboarding.models import (
    CriterionKind,
    EligibilityCriterion,
    GuideOrigin,
    GuideProfile,
    GuideStatus,
    GuideTraining,
    GuideTrainingKind,
    NumericMeasure,
    QualityConfirmation,
)
from leerplek.onboarding.selectors_pool import (
    NOT_MET,
    UNCONFIRMED,
    active_criteria,
    current_primary_mentorships,
    default_max_mentees,
    explain,
)
from leerplek.people.models import Employee, Organisation, OrgUnit, UnitKind, User

PHOTO_MAX_MB = 5
PHOTO_TYPES: dict[str, tuple[str, str]] = {
    ".jpg": ("jpeg", "image/jpeg"),
    ".jpeg": ("jpeg", "image/jpeg"),
    ".png": ("png", "image/png"),
    ".webp": ("webp", "image/webp"),
}

# The brochure's example profile (chapter 3): numeric minimums, then the qualities.
DEFAULT_NUMERIC = [
    (
        NumericMeasure.EXPERIENCE_YEARS,
        Decimal(10),
        _("Experience"),
        _("At least 10 years of experience in the job."),
    ),
    (
        NumericMeasure.SENIORITY_YEARS,
        Decimal(5),
        _("Seniority"),
        _("At least 5 years with the company."),
    ),
]
DEFAULT_QUALITIES = [
    (_("Communication"), _("Explains clearly and listens; checks that the newcomer understood.")),
    (_("Patience"), _("Repeats calmly and lets the newcomer try and make mistakes.")),
    (_("Passion for the job"), _("Likes the work and shows it.")),
    (_("Trustworthiness"), _("Newcomers and colleagues can count on him or her.")),
    (_("Deployability"), _("Can be freed from production to guide (shift, workload).")),
    (_("Motivation"), _("Wants to be a peter/meter, not only asked to.")),
]

# The curriculum of a peter/meter training (MEN-13), suggested on the training form.
CURRICULUM_TOPICS = [
    _("Role and tasks of the peter/meter"),
    _("How adults learn"),
    _("Explaining and demonstrating a task (TWI: show, tell, let do, check)"),
    _("Giving feedback"),
    _("Safety and well-being of the newcomer"),
    _("Diversity and language"),
    _("Talks with the newcomer and the line manager"),
]

ERRORS = {
    "other_organisation": _("Choose one from this organisation."),
    "measure_needed": _("Choose what a numeric criterion measures."),
    "minimum_needed": _("Enter the minimum, e.g. 10 for ten years."),
    "minimum_negative": _("The minimum cannot be below 0."),
    "name_taken": _("There is already a criterion called %(name)s. Edit that one."),
    "person_left": _("%(name)s has left the organisation; only people who work here can join."),
    "already_in_pool": _("%(name)s is already in the pool."),
    "already_candidate": _("%(name)s is already a candidate (since %(date)s)."),
    "not_candidate": _("%(name)s is not a candidate (status: %(status)s)."),
    "not_in_pool": _("%(name)s is not in the pool or a candidate (status: %(status)s)."),
    "criterion_not_quality": _(
        "%(name)s is a numeric criterion; it is read from the record, not confirmed."
    ),
    "criterion_inactive": _("%(name)s is no longer an active criterion."),
    "own_qualities": _("Nobody confirms his own qualities; ask another line manager."),
    "note_needed": _("Say why %(name)s is not met, so the candidate and HR know what to work on."),
    "override_needed": _(
        "Required criteria not met or not yet confirmed: %(criteria)s. Give the reason for this "
        "exception, or decline the candidate."
    ),
    "reason_needed": _("Give the reason, so the person knows why."),
    "max_below_load": _(
        "%(name)s guides %(count)s newcomers now; the maximum cannot be below %(count)s."
    ),
    "load_unit_needed": _("Say what the load is measured in, e.g. lines or orders."),
    "load_normal_needed": _("Enter the normal load as well, e.g. 6."),
    "load_reduced_more": _(
        "The load while guiding (%(reduced)s) cannot be more than the normal load (%(normal)s)."
    ),
    "not_a_shift": _("%(name)s is not a shift; choose a unit of the kind shift."),
    "future_date": _("The date cannot be in the future; today is %(today)s."),
    "hours_positive": _("Enter the hours as a positive number, e.g. 7.5."),
    "topics_needed": _("List the topics the training covered."),
    "initial_first": _("Record the initial training first; a refresher repeats it."),
    "photo_type": _("Attach a photo in JPG, PNG or WEBP; %(name)s is not one of these."),
    "photo_content": _("%(name)s is not a real %(kind)s photo inside; attach the original photo."),
    "photo_size": _(
        "%(name)s is %(size)s MB; attach a photo of at most %(max)s MB (a smaller one will do)."
    ),
    "photo_empty": _("%(name)s is empty; attach the photo again."),
}


def _allow(by: User, perm: str, obj: Any = None) -> None:
    if not by.has_perm(perm, obj):
        raise PermissionDenied


def _same_organisation(field: str, obj: Any, organisation: Organisation) -> None:
    if obj is not None and obj.organisation_id != organisation.pk:
        raise field_error(field, ERRORS["other_organisation"], code="other_organisation")


def _has_left(person: Employee, on: datetime.date) -> bool:
    return person.exit_date is not None and person.exit_date < on


def _locked_profile(profile: GuideProfile) -> GuideProfile:
    # Lock the row: two people may decide on the same candidate at once.
    return (
        GuideProfile.objects.select_for_update(of=("self",))
        .select_related("employee", "employee__unit", "organisation")
        .get(pk=profile.pk)
    )


# --- Criteria (HR) -------------------------------------------------------------------------------


@transaction.atomic
def criterion_save(
    *,
    organisation: Organisation,
    by: User,
    criterion: EligibilityCriterion | None = None,
    kind: str,
    name: str,
    description: str = "",
    measure: str = "",
    minimum: Decimal | None = None,
    is_required: bool = True,
    is_active: bool = True,
    position: int = 0,
) -> EligibilityCriterion:
    """Create or change an eligibility criterion.

    Rules: a numeric one has a measure and a minimum of at least 0; a qualitative one neither;
    names are unique among the organisation's criteria. Raises ValidationError on "measure",
    "minimum" or "name".
    """
    _allow(by, "onboarding.manage_pool", organisation)
    if criterion is not None:
        _same_organisation("criterion", criterion, organisation)
    name = name.strip()
    if kind == CriterionKind.NUMERIC:
        if not measure:
            raise field_error("measure", ERRORS["measure_needed"], code="measure_needed")
        if minimum is None:
            raise field_error("minimum", ERRORS["minimum_needed"], code="minimum_needed")
        if minimum < 0:
            raise field_error("minimum", ERRORS["minimum_negative"], code="minimum_negative")
    else:
        measure, minimum = "", None
    taken = EligibilityCriterion.objects.filter(organisation=organisation, name__iexact=name)
    if criterion is not None:
        taken = taken.exclude(pk=criterion.pk)
    if taken.exists():
        raise field_error("name", ERRORS["name_taken"], code="name_taken", params={"name": name})
    values = {
        "kind": kind,
        "name": name,
        "description": description.strip(),
        "measure": measure,
        "minimum": minimum,
        "is_required": is_required,
        "is_active": is_active,
        "position": position,
    }
    if criterion is None:
        criterion = EligibilityCriterion.objects.create(organisation=organisation, **values)
        before = None
    else:
        before = {key: getattr(criterion, key) for key in values}
        for key, value in values.items():
            setattr(criterion, key, value)
        criterion.save()
    audit.record(
        actor=by, action="onboarding.criterion_saved", obj=criterion, before=before, after=values
    )
    return criterion


@transaction.atomic
def criteria_create_defaults(*, organisation: Organisation, by: User) -> list[EligibilityCriterion]:
    """Add the brochure's example criteria that the organisation does not have yet (by name):
    at least 10 years of experience and 5 of seniority, both required; communication, patience,
    passion for the job, trustworthiness, deployability and motivation, confirmed by a line
    manager. Returns the criteria created (none when all exist)."""
    _allow(by, "onboarding.manage_pool", organisation)
    existing = {
        name.lower()
        for name in EligibilityCriterion.objects.filter(organisation=organisation).values_list(
            "name", flat=True
        )
    }
    measured = set(
        EligibilityCriterion.objects.filter(
            organisation=organisation, kind=CriterionKind.NUMERIC
        ).values_list("measure", flat=True)
    )
    created = []
    for position, (measure, minimum, name, description) in enumerate(DEFAULT_NUMERIC):
        if str(name).lower() in existing or measure in measured:
            continue
        created.append(
            EligibilityCriterion.objects.create(
                organisation=organisation,
                kind=CriterionKind.NUMERIC,
                measure=measure,
                minimum=minimum,
                name=str(name),
                description=str(description),
                position=position,
            )
        )
    for position, (name, description) in enumerate(DEFAULT_QUALITIES):
        if str(name).lower() in existing:
            continue
        created.append(
            EligibilityCriterion.objects.create(
                organisation=organisation,
                kind=CriterionKind.QUALITATIVE,
                name=str(name),
                description=str(description),
                position=position,
            )
        )
    audit.record(
        actor=by,
        action="onboarding.criteria_defaults_created",
        obj=organisation,
        after={"criteria": [criterion.name for criterion in created]},
    )
    return created


# --- Candidates ----------------------------------------------------------------------------------


def _enter(
    *, employee: Employee, by: User, origin: str, motivation: str, action: str
) -> GuideProfile:
    today = timezone.localdate()
    # Lock the person: the person and his manager may put him forward at the same moment.
    employee = Employee.objects.select_for_update(of=("self",)).get(pk=employee.pk)
    if _has_left(employee, today):
        raise field_error(
            "employee", ERRORS["person_left"], code="person_left", params={"name": employee}
        )
    profile = GuideProfile.objects.filter(employee=employee).first()
    if profile is not None and profile.status == GuideStatus.APPROVED:
        raise field_error(
            "employee", ERRORS["already_in_pool"], code="already_in_pool", params={"name": employee}
        )
    if profile is not None and profile.status == GuideStatus.CANDIDATE:
        raise field_error(
            "employee",
            ERRORS["already_candidate"],
            code="already_candidate",
            params={"name": employee, "date": timezone.localdate(profile.created_at)},
        )
    values = {
        "origin": origin,
        "proposed_by": by if origin == GuideOrigin.PROPOSED else None,
        "motivation": motivation.strip(),
        "status": GuideStatus.CANDIDATE,
        "override_reason": "",
        "decided_by": None,
        "decided_on": None,
    }
    if profile is None:
        profile = GuideProfile.objects.create(
            organisation=employee.organisation,
            employee=employee,
            max_mentees=default_max_mentees(),
            shift=employee.unit if employee.unit and employee.unit.kind == UnitKind.SHIFT else None,
            **values,
        )
    else:
        # Someone declined or withdrawn earlier comes back: his profile, trainings and the
        # confirmed qualities stay; the decision starts again.
        for key, value in values.items():
            setattr(profile, key, value)
        profile.save()
    audit.record(
        actor=by,
        action=action,
        obj=profile,
        after={"employee": employee.pk, "origin": origin, "motivation": profile.motivation},
    )
    return profile


@transaction.atomic
def guide_volunteer(*, employee: Employee, by: User, motivation: str = "") -> GuideProfile:
    """`employee` offers himself as peter/meter (or HR records that he did): a candidate.

    Rules: he still works here; not already in the pool or a candidate. Raises ValidationError
    on "employee"."""
    if not (by.has_perm("onboarding.volunteer", employee) or by.has_perm("onboarding.manage_pool")):
        raise PermissionDenied
    return _enter(
        employee=employee,
        by=by,
        origin=GuideOrigin.VOLUNTEERED,
        motivation=motivation,
        action="onboarding.guide_volunteered",
    )


@transaction.atomic
def guide_propose(*, employee: Employee, by: User, motivation: str = "") -> GuideProfile:
    """A line manager or HR proposes `employee` (of his scope) as peter/meter: a candidate.

    Same rules as `guide_volunteer`."""
    _allow(by, "onboarding.propose_guide", employee)
    return _enter(
        employee=employee,
        by=by,
        origin=GuideOrigin.PROPOSED,
        motivation=motivation,
        action="onboarding.guide_proposed",
    )


@transaction.atomic
def quality_confirm(
    *,
    profile: GuideProfile,
    criterion: EligibilityCriterion,
    is_met: bool,
    note: str = "",
    by: User,
    on: datetime.date | None = None,
) -> QualityConfirmation:
    """A line manager judges one quality of a candidate or pool member (again, when he changes
    his mind: the last judgement counts).

    Rules: a qualitative, active criterion of the organisation; not his own qualities; a note
    when the quality is not met. Raises ValidationError on "criterion" or "note"."""
    _allow(by, "onboarding.confirm_qualities", profile)
    profile = _locked_profile(profile)
    _same_organisation("criterion", criterion, profile.organisation)
    if profile.status not in (GuideStatus.CANDIDATE, GuideStatus.APPROVED):
        raise field_error(
            "criterion",
            ERRORS["not_in_pool"],
            code="not_in_pool",
            params={"name": profile.employee, "status": profile.get_status_display()},
        )
    if criterion.kind != CriterionKind.QUALITATIVE:
        raise field_error(
            "criterion",
            ERRORS["criterion_not_quality"],
            code="criterion_not_quality",
            params={"name": criterion},
        )
    if not criterion.is_active:
        raise field_error(
            "criterion",
            ERRORS["criterion_inactive"],
            code="criterion_inactive",
            params={"name": criterion},
        )
    if profile.employee.user_id is not None and profile.employee.user_id == by.pk:
        raise field_error("criterion", ERRORS["own_qualities"], code="own_qualities")
    note = note.strip()
    if not is_met and not note:
        raise field_error(
            "note", ERRORS["note_needed"], code="note_needed", params={"name": criterion}
        )
    day = on or timezone.localdate()
    confirmation, _created = QualityConfirmation.objects.update_or_create(
        profile=profile,
        criterion=criterion,
        defaults={"is_met": is_met, "note": note, "confirmed_by": by, "confirmed_on": day},
    )
    audit.record(
        actor=by,
        action="onboarding.quality_confirmed",
        obj=profile,
        after={"criterion": criterion.name, "is_met": is_met, "note": note, "on": day},
    )
    return confirmation


@transaction.atomic
def qualities_confirm(
    *,
    profile: GuideProfile,
    answers: list[tuple[EligibilityCriterion, bool, str]],
    by: User,
) -> list[QualityConfirmation]:
    """Several judgements at once (criterion, met, note), all or none: the rules of
    `quality_confirm` apply to each."""
    return [
        quality_confirm(profile=profile, criterion=criterion, is_met=is_met, note=note, by=by)
        for criterion, is_met, note in answers
    ]


# --- Decisions (HR) ------------------------------------------------------------------------------


def _require_candidate(profile: GuideProfile, field: str) -> None:
    if profile.status != GuideStatus.CANDIDATE:
        raise field_error(
            field,
            ERRORS["not_candidate"],
            code="not_candidate",
            params={"name": profile.employee, "status": profile.get_status_display()},
        )


@transaction.atomic
def guide_approve(*, profile: GuideProfile, by: User, override_reason: str = "") -> GuideProfile:
    """HR takes a candidate into the pool.

    Rules: a candidate who still works here; every required criterion met (a numeric one on his
    record, a quality confirmed by a line manager), or else a reason for the exception. Raises
    ValidationError on "override_reason" naming the criteria missed."""
    _allow(by, "onboarding.manage_pool", profile)
    profile = _locked_profile(profile)
    _require_candidate(profile, "override_reason")
    today = timezone.localdate()
    if _has_left(profile.employee, today):
        raise field_error(
            "override_reason",
            ERRORS["person_left"],
            code="person_left",
            params={"name": profile.employee},
        )
    checks = explain(
        profile,
        active_criteria(profile.organisation),
        confirmations=list(profile.qualities.all()),
        today=today,
    )
    missing = [
        check
        for check in checks
        if check.criterion.is_required and check.state in (NOT_MET, UNCONFIRMED)
    ]
    override_reason = override_reason.strip()
    if missing and not override_reason:
        names = ", ".join(
            "{} ({})".format(
                check.criterion.name,
                check.text
                if check.criterion.kind == CriterionKind.NUMERIC and check.value is not None
                else gettext("not met")
                if check.state == NOT_MET
                else gettext("not yet confirmed"),
            )
            for check in missing
        )
        raise field_error(
            "override_reason",
            ERRORS["override_needed"],
            code="override_needed",
            params={"criteria": names},
        )
    profile.status = GuideStatus.APPROVED
    profile.override_reason = override_reason if missing else ""
    profile.decided_by = by
    profile.decided_on = today
    profile.save(update_fields=["status", "override_reason", "decided_by", "decided_on"])
    audit.record(
        actor=by,
        action="onboarding.guide_approved",
        obj=profile,
        after={
            "employee": profile.employee_id,
            "override_reason": profile.override_reason,
            "missed": [check.criterion.name for check in missing],
        },
    )
    return profile


@transaction.atomic
def guide_decline(*, profile: GuideProfile, by: User, reason: str) -> GuideProfile:
    """HR does not retain a candidate. Rules: a candidate; a reason. Raises ValidationError on
    "reason"."""
    _allow(by, "onboarding.manage_pool", profile)
    profile = _locked_profile(profile)
    _require_candidate(profile, "reason")
    reason = reason.strip()
    if not reason:
        raise field_error("reason", ERRORS["reason_needed"], code="reason_needed")
    profile.status = GuideStatus.DECLINED
    profile.decided_by = by
    profile.decided_on = timezone.localdate()
    profile.save(update_fields=["status", "decided_by", "decided_on"])
    audit.record(
        actor=by,
        action="onboarding.guide_declined",
        obj=profile,
        after={"employee": profile.employee_id, "reason": reason},
    )
    return profile


@transaction.atomic
def guide_withdraw(*, profile: GuideProfile, by: User, reason: str = "") -> GuideProfile:
    """The person himself, or HR, takes a candidate or pool member out of the pool. His current
    newcomers keep their peter/meter until HR ends those guidances. Raises ValidationError on
    "reason" when he is not in the pool or a candidate."""
    own = profile.employee.user_id is not None and profile.employee.user_id == by.pk
    if not (own or by.has_perm("onboarding.manage_pool", profile)):
        raise PermissionDenied
    profile = _locked_profile(profile)
    if profile.status not in (GuideStatus.CANDIDATE, GuideStatus.APPROVED):
        raise field_error(
            "reason",
            ERRORS["not_in_pool"],
            code="not_in_pool",
            params={"name": profile.employee, "status": profile.get_status_display()},
        )
    before = {"status": profile.status}
    profile.status = GuideStatus.WITHDRAWN
    profile.decided_by = by
    profile.decided_on = timezone.localdate()
    profile.save(update_fields=["status", "decided_by", "decided_on"])
    audit.record(
        actor=by,
        action="onboarding.guide_withdrawn",
        obj=profile,
        before=before,
        after={"employee": profile.employee_id, "reason": reason.strip()},
    )
    return profile


# --- Profile -------------------------------------------------------------------------------------


@transaction.atomic
def guide_profile_update(
    *,
    profile: GuideProfile,
    by: User,
    max_mentees: int,
    shift: OrgUnit | None = None,
    load_unit: str = "",
    normal_load: int | None = None,
    reduced_load: int | None = None,
    evaluation_score: Decimal | None = None,
) -> GuideProfile:
    """HR sets how many newcomers he guides at most, his shift, his production load normally and
    while guiding ("6 lines → 4 lines", MEN-05) and his last evaluation score.

    Rules: the maximum is at least his current number of newcomers; the shift is a unit of kind
    shift; a load has its unit, the reduced load needs the normal one and is not more. Raises
    ValidationError on the field concerned."""
    _allow(by, "onboarding.manage_pool", profile)
    profile = _locked_profile(profile)
    if shift is not None:
        _same_organisation("shift", shift, profile.organisation)
        if shift.kind != UnitKind.SHIFT:
            raise field_error(
                "shift", ERRORS["not_a_shift"], code="not_a_shift", params={"name": shift}
            )
    count = current_primary_mentorships().filter(guide_id=profile.employee_id).count()
    if max_mentees < count:
        raise field_error(
            "max_mentees",
            ERRORS["max_below_load"],
            code="max_below_load",
            params={"name": profile.employee, "count": count},
        )
    load_unit = load_unit.strip()
    if (normal_load is not None or reduced_load is not None) and not load_unit:
        raise field_error("load_unit", ERRORS["load_unit_needed"], code="load_unit_needed")
    if reduced_load is not None and normal_load is None:
        raise field_error("normal_load", ERRORS["load_normal_needed"], code="load_normal_needed")
    if reduced_load is not None and normal_load is not None and reduced_load > normal_load:
        raise field_error(
            "reduced_load",
            ERRORS["load_reduced_more"],
            code="load_reduced_more",
            params={"reduced": reduced_load, "normal": normal_load},
        )
    values: dict[str, Any] = {
        "max_mentees": max_mentees,
        "shift": shift,
        "load_unit": load_unit,
        "normal_load": normal_load,
        "reduced_load": reduced_load,
        "evaluation_score": evaluation_score,
    }
    before = {key: getattr(profile, key) for key in values}
    for key, value in values.items():
        setattr(profile, key, value)
    profile.save(update_fields=list(values))
    audit.record(
        actor=by,
        action="onboarding.guide_profile_changed",
        obj=profile,
        before={**before, "shift": before["shift"].pk if before["shift"] else None},
        after={**values, "shift": shift.pk if shift else None},
    )
    return profile


def check_photo(file: UploadedFile) -> str:
    """Check an uploaded photo (suffix, first bytes, size); return the stored suffix. Raises
    ValidationError without a field (forms put it on theirs, the service on "photo")."""
    kind, _content_type = evidence_files.check_upload(
        file,
        accepted=PHOTO_TYPES,
        limit=PHOTO_MAX_MB * 1024 * 1024,
        errors=ERRORS,
        prefix="photo",
    )
    return ".jpg" if kind == "jpeg" else PurePosixPath(file.name or "").suffix.lower()


def photo_content_type(stored_name: str) -> str:
    suffix = PurePosixPath(stored_name).suffix.lower()
    return PHOTO_TYPES.get(suffix, ("", "application/octet-stream"))[1]


@transaction.atomic
def guide_photo_set(*, profile: GuideProfile, by: User, photo: UploadedFile | None) -> GuideProfile:
    """Set (or with None remove) the photo newcomers see of their peter/meter. HR or the person
    himself. Stored under a random name; the old file is removed after the commit. Raises
    ValidationError on "photo"."""
    own = profile.employee.user_id is not None and profile.employee.user_id == by.pk
    if not (own or by.has_perm("onboarding.manage_pool", profile)):
        raise PermissionDenied
    profile = _locked_profile(profile)
    old = profile.photo.name if profile.photo else ""
    stored = ""
    if photo is not None:
        try:
            suffix = check_photo(photo)
        except ValidationError as error:
            raise ValidationError({"photo": error}) from error
        profile.photo.save(
            f"{profile.organisation_id}/{uuid.uuid4().hex}{suffix}", photo, save=False
        )
        stored = profile.photo.name
    else:
        profile.photo = None
    storage = profile.photo.storage
    try:
        profile.save(update_fields=["photo"])
        audit.record(
            actor=by,
            action="onboarding.guide_photo_changed",
            obj=profile,
            after={"photo": bool(stored)},
        )
    except BaseException:
        # Nothing half-written: the new file goes when its row cannot be written.
        if stored:
            storage.delete(stored)
        raise
    if old:
        transaction.on_commit(lambda: storage.delete(old))
    return profile


# --- Trainings (MEN-06, MEN-13) ------------------------------------------------------------------


@transaction.atomic
def guide_training_record(
    *,
    profile: GuideProfile,
    by: User,
    kind: str,
    completed_on: datetime.date,
    topics: str,
    hours: Decimal,
    provider: str = "",
) -> GuideTraining:
    """Record a peter/meter training followed (initial or refresher).

    Rules: not in the future; hours above 0; topics listed; a refresher after an initial
    training. Raises ValidationError on the field concerned."""
    _allow(by, "onboarding.manage_pool", profile)
    profile = _locked_profile(profile)
    today = timezone.localdate()
    if completed_on > today:
        raise field_error(
            "completed_on", ERRORS["future_date"], code="future_date", params={"today": today}
        )
    if hours is None or hours <= 0:
        raise field_error("hours", ERRORS["hours_positive"], code="hours_positive")
    topics = topics.strip()
    if not topics:
        raise field_error("topics", ERRORS["topics_needed"], code="topics_needed")
    if (
        kind == GuideTrainingKind.REFRESHER
        and not profile.trainings.filter(
            kind=GuideTrainingKind.INITIAL, completed_on__lte=completed_on
        ).exists()
    ):
        raise field_error("kind", ERRORS["initial_first"], code="initial_first")
    training = GuideTraining.objects.create(
        profile=profile,
        kind=kind,
        completed_on=completed_on,
        topics=topics,
        hours=hours,
        provider=provider.strip(),
        recorded_by=by,
    )
    audit.record(
        actor=by,
        action="onboarding.guide_training_recorded",
        obj=profile,
        after={
            "kind": kind,
            "completed_on": completed_on,
            "hours": hours,
            "topics": topics,
            "provider": training.provider,
        },
    )
    return training


@transaction.atomic
def guide_training_remove(*, training: GuideTraining, by: User) -> None:
    """Remove a training recorded by mistake."""
    profile = training.profile
    _allow(by, "onboarding.manage_pool", profile)
    before = {"kind": training.kind, "completed_on": training.completed_on, "hours": training.hours}
    training.delete()
    audit.record(actor=by, action="onboarding.guide_training_removed", obj=profile, before=before)
