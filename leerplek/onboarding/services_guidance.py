"""Writes on guidance relationships (MEN-01, MEN-08..11, MEN-15): ending and replacing a guide,
coaching requests, mentorships and instruction, mentor programmes and instructor selection.

Every function validates first, writes inside one transaction and appends to the audit log. The
designation itself (who may guide whom) stays in `services.guide_designate`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerplek.core import audit
from leerplek.core.errors import field_error
from leerplek.onboarding import services
from leerplek.onboarding.models import (
    Guidance,
    GuidanceKind,
    GuidanceStatus,
    InstructorSelection,
    MentorProgramme,
    Onboarding,
    OnboardingStatus,
    SelectionOutcome,
)
from leerplek.people.models import Employee, Organisation, User, Workstation

# Coaching is short by nature (brochure L2126); a longer planned end is allowed but flagged.
COACHING_WARN_MONTHS = 3

PROGRAMME_FIELDS = [
    "name",
    "goals",
    "expectations",
    "agreements",
    "sponsor",
    "starts_on",
    "ends_on",
    "is_active",
]
SELECTION_FIELDS = [
    "candidate",
    "workstation",
    "competence",
    "profile_match",
    "assessment",
    "peer_feedback",
]

ERRORS = {
    "not_active": _("This guidance is %(status)s; only an active guidance can end or change."),
    "end_before_start": _("The end cannot be before the start (%(date)s)."),
    "future_date": _("The date cannot be in the future; today is %(today)s."),
    "reason_required": _("Say why, so that the next person reading the record understands."),
    "outcome_required": _(
        "Describe the outcome: what can the learner do now, compared with the target result?"
    ),
    "target_reached_required": _("Say whether the target result was reached."),
    "same_guide": _("%(name)s already guides this person. Choose another colleague."),
    "not_backup": _("Only a backup can be promoted; this is the current guide."),
    "coaching_by_request": _(
        "Coaching starts with a request that the coach accepts. Use Request a coach."
    ),
    "target_required": _(
        "Describe an observable target result: what the learner can do at the end, so that "
        "anyone can see it (e.g. 'sets up line 3 alone in under 20 minutes')."
    ),
    "planned_end_required": _("Give a planned end: coaching is a short engagement."),
    "planned_end_before_start": _("The planned end must come after the start (%(date)s)."),
    "coaching_open": _(
        "%(learner)s already has a coaching engagement with %(coach)s (%(status)s). Close or "
        "withdraw it first."
    ),
    "not_coaching": _("This is not a coaching engagement."),
    "not_requested": _("This request was already answered (%(status)s)."),
    "not_the_coach": _("Only %(name)s, the coach asked, or HR can answer this request."),
    "decline_reason": _("Say why you decline, so that the learner can ask someone else."),
    "programme_inactive": _("The programme %(name)s is no longer active; choose an active one."),
    "programme_kind": _("Only a peter/meter or a mentorship can belong to a mentor programme."),
    "other_organisation": _("Choose one from this organisation."),
    "sponsor_required": _(
        "Name a sponsor from top management: the brochure calls their support crucial."
    ),
    "sponsor_left": _("%(name)s has left; choose a sponsor who works here."),
    "programme_exists": _("There is already an active programme called %(name)s."),
    "candidate_left": _("%(name)s has left; choose someone who works here."),
    "selection_open": _(
        "%(name)s already has an open selection record for this workstation. Open that one."
    ),
    "selection_decided": _("This selection was decided on %(date)s; it cannot change."),
    "outcome_choice": _("Choose Selected or Not retained."),
    "assessment_required": _(
        "Record the assessment (social and teaching skills, reaction to the unexpected) "
        "before deciding."
    ),
    "feedback_date_required": _(
        "A candidate who is not retained gets a feedback conversation, so that he understands "
        "why. Give the date of that conversation."
    ),
    "feedback_note_required": _("Note what was said in the feedback conversation."),
    "feedback_before_decision": _("The conversation cannot be before the decision (%(date)s)."),
}


def coaching_is_long(starts_on: datetime.date, planned_end: datetime.date | None) -> bool:
    """Whether a coaching engagement is planned for longer than COACHING_WARN_MONTHS."""
    return planned_end is not None and planned_end > services.add_months(
        starts_on, COACHING_WARN_MONTHS
    )


def _locked(guidance: Guidance) -> Guidance:
    return (
        Guidance.objects.select_for_update(of=("self",))
        .select_related("guide", "learner", "organisation", "programme")
        .get(pk=guidance.pk)
    )


def _check_active(guidance: Guidance, field: str = "__all__") -> None:
    if guidance.status != GuidanceStatus.ACTIVE or guidance.ends_on is not None:
        raise field_error(
            field,
            ERRORS["not_active"],
            code="not_active",
            params={"status": guidance.get_status_display().lower()},
        )


def _check_day(field: str, day: datetime.date, starts_on: datetime.date) -> None:
    today = timezone.localdate()
    if day > max(today, starts_on):
        raise field_error(field, ERRORS["future_date"], code="future_date", params={"today": today})
    if day < starts_on:
        raise field_error(
            field, ERRORS["end_before_start"], code="end_before_start", params={"date": starts_on}
        )


def _check_programme(
    programme: MentorProgramme | None, organisation_id: int, kind: str, field: str = "programme"
) -> None:
    if programme is None:
        return
    if programme.organisation_id != organisation_id:
        raise field_error(field, ERRORS["other_organisation"], code="other_organisation")
    if not programme.is_active:
        raise field_error(
            field,
            ERRORS["programme_inactive"],
            code="programme_inactive",
            params={"name": programme.name},
        )
    if kind not in (GuidanceKind.MENTOR, GuidanceKind.LONG_TERM_GUIDE):
        raise field_error(field, ERRORS["programme_kind"], code="programme_kind")


def _active_onboarding(learner: Employee) -> Onboarding | None:
    return Onboarding.objects.filter(employee=learner, status=OnboardingStatus.ACTIVE).first()


# --- Mentorship, instruction and peters/meters --------------------------------------------------


@transaction.atomic
def guidance_start(
    *,
    learner: Employee,
    guide: Employee,
    kind: str,
    by: User | None,
    starts_on: datetime.date | None = None,
    planned_end: datetime.date | None = None,
    target_result: str = "",
    programme: MentorProgramme | None = None,
    is_backup: bool = False,
    reason: str = "",
) -> Guidance:
    """Start a mentorship, an instruction or a peter/meter relationship (not coaching, which
    starts with a request).

    Rules: those of `guide_designate`; an instruction has an observable target result; the
    planned end comes after the start; a programme is active and takes peters/meters and
    mentorships only. Raises ValidationError on the field concerned.
    """
    if kind == GuidanceKind.COACH:
        raise field_error("kind", ERRORS["coaching_by_request"], code="coaching_by_request")
    starts_on = starts_on or timezone.localdate()
    target_result = target_result.strip()
    if kind == GuidanceKind.INSTRUCTOR and not target_result:
        raise field_error("target_result", ERRORS["target_required"], code="target_required")
    if planned_end is not None and planned_end <= starts_on:
        raise field_error(
            "planned_end",
            ERRORS["planned_end_before_start"],
            code="planned_end_before_start",
            params={"date": starts_on},
        )
    _check_programme(programme, learner.organisation_id, kind)
    onboarding = _active_onboarding(learner) if kind == GuidanceKind.MENTOR else None
    return services.guide_designate(
        learner=learner,
        guide=guide,
        by=by,
        kind=kind,
        is_backup=is_backup,
        onboarding=onboarding,
        starts_on=starts_on,
        reason=reason,
        target_result=target_result,
        planned_end=planned_end,
        programme=programme,
    )


@transaction.atomic
def guidance_end(
    *,
    guidance: Guidance,
    by: User | None,
    ends_on: datetime.date | None = None,
    reason: str = "",
    outcome: str = "",
    target_reached: bool | None = None,
) -> Guidance:
    """End an active relationship on `ends_on` (default today), with the reason.

    A relationship with a target result (coaching, instruction) records the outcome and whether
    the target was reached: closing it is the moment to look back. Rules: active; the date
    neither before the start nor in the future; a reason. Raises ValidationError on "ends_on",
    "reason", "outcome" or "target_reached".
    """
    guidance = _locked(guidance)
    _check_active(guidance)
    ends_on = ends_on or max(timezone.localdate(), guidance.starts_on)
    _check_day("ends_on", ends_on, guidance.starts_on)
    reason, outcome = reason.strip(), outcome.strip()
    if guidance.target_result:
        if not outcome:
            raise field_error("outcome", ERRORS["outcome_required"], code="outcome_required")
        if target_reached is None:
            raise field_error(
                "target_reached",
                ERRORS["target_reached_required"],
                code="target_reached_required",
            )
        reason = reason or str(outcome)
    if not reason:
        raise field_error("reason", ERRORS["reason_required"], code="reason_required")
    guidance.status = GuidanceStatus.CLOSED
    guidance.ends_on = ends_on
    guidance.end_reason = reason
    guidance.outcome = outcome
    guidance.target_reached = target_reached if guidance.target_result else None
    guidance.save(update_fields=["status", "ends_on", "end_reason", "outcome", "target_reached"])
    audit.record(
        actor=by,
        action="onboarding.guidance_ended",
        obj=guidance,
        before={"status": GuidanceStatus.ACTIVE},
        after={
            "status": guidance.status,
            "ends_on": ends_on,
            "reason": reason,
            "outcome": outcome,
            "target_reached": guidance.target_reached,
        },
    )
    return guidance


@transaction.atomic
def guidance_replace(
    *,
    guidance: Guidance,
    guide: Employee,
    by: User | None,
    on: datetime.date | None = None,
    reason: str = "",
) -> Guidance:
    """Replace the guide of `guidance` by `guide`: the old relationship ends on `on` (default
    today, or its start if it has not begun) and the new one starts that same day, with the same
    kind, backup flag, onboarding, target and programme. Both or neither are written.

    Rules: those of `guidance_end` and `guide_designate` (the new guide is not the learner, still
    works here, is below his maximum). Returns the new relationship.
    """
    guidance = _locked(guidance)
    _check_active(guidance)
    on = on or max(timezone.localdate(), guidance.starts_on)
    _check_day("on", on, guidance.starts_on)
    if guide.pk == guidance.guide_id:
        raise field_error(
            "guide", ERRORS["same_guide"], code="same_guide", params={"name": guidance.guide}
        )
    reason = reason.strip()
    if not reason:
        raise field_error("reason", ERRORS["reason_required"], code="reason_required")
    guidance.status = GuidanceStatus.CLOSED
    guidance.ends_on = on
    guidance.end_reason = reason
    guidance.save(update_fields=["status", "ends_on", "end_reason"])
    successor = services.guide_designate(
        learner=guidance.learner,
        guide=guide,
        by=by,
        kind=guidance.kind,
        is_backup=guidance.is_backup,
        onboarding=guidance.onboarding,
        starts_on=on,
        reason=reason,
        target_result=guidance.target_result,
        planned_end=guidance.planned_end,
        programme=guidance.programme,
    )
    audit.record(
        actor=by,
        action="onboarding.guide_replaced",
        obj=guidance,
        before={"guide": guidance.guide_id},
        after={"guide": guide.pk, "on": on, "reason": reason, "successor": successor.pk},
    )
    return successor


@transaction.atomic
def backup_promote(
    *, backup: Guidance, by: User | None, on: datetime.date | None = None, reason: str = ""
) -> Guidance:
    """Make the backup the guide: the current guide (if any) and the backup relationship end on
    `on` (default today) and the backup's person starts as guide that day.

    Rules: `backup` is an active backup; the promoted person is below his maximum. Returns the
    new relationship.
    """
    backup = _locked(backup)
    _check_active(backup)
    if not backup.is_backup:
        raise field_error("__all__", ERRORS["not_backup"], code="not_backup")
    on = on or max(timezone.localdate(), backup.starts_on)
    _check_day("on", on, backup.starts_on)
    reason = reason.strip() or str(_("The backup became the guide."))
    primary = (
        Guidance.objects.current(on)
        .select_for_update(of=("self",))
        .filter(learner_id=backup.learner_id, kind=backup.kind, is_backup=False)
        .exclude(ends_on=on)
        .first()
    )
    for old in (primary, backup):
        if old is None:
            continue
        old.status = GuidanceStatus.CLOSED
        old.ends_on = max(on, old.starts_on)
        old.end_reason = reason
        old.save(update_fields=["status", "ends_on", "end_reason"])
    promoted = services.guide_designate(
        learner=backup.learner,
        guide=backup.guide,
        by=by,
        kind=backup.kind,
        onboarding=backup.onboarding,
        starts_on=on,
        reason=reason,
        target_result=backup.target_result,
        planned_end=backup.planned_end,
        programme=backup.programme,
    )
    audit.record(
        actor=by,
        action="onboarding.backup_promoted",
        obj=promoted,
        before={"guide": primary.guide_id if primary else None, "backup": backup.pk},
        after={"guide": backup.guide_id, "on": on},
    )
    return promoted


@transaction.atomic
def guidance_set_programme(
    *, guidance: Guidance, programme: MentorProgramme | None, by: User | None
) -> Guidance:
    """Link `guidance` to a mentor programme, or unlink it (None)."""
    guidance = _locked(guidance)
    _check_active(guidance, "programme")
    _check_programme(programme, guidance.organisation_id, guidance.kind)
    before = {"programme": guidance.programme_id}
    guidance.programme = programme
    guidance.save(update_fields=["programme"])
    audit.record(
        actor=by,
        action="onboarding.guidance_programme_set",
        obj=guidance,
        before=before,
        after={"programme": programme.pk if programme else None},
    )
    return guidance


# --- Coaching -----------------------------------------------------------------------------------


@transaction.atomic
def coaching_request(
    *,
    learner: Employee,
    coach: Employee,
    by: User | None,
    target_result: str,
    planned_end: datetime.date | None,
    starts_on: datetime.date | None = None,
    reason: str = "",
) -> Guidance:
    """Ask `coach`, an experienced colleague, to coach `learner` towards an observable target
    result by `planned_end`. The coach then accepts or declines.

    Rules: a target result; a planned end after the start; no other open (requested or active)
    coaching for the learner; those of `guide_designate`. A planned end beyond three months is
    allowed (see `coaching_is_long`). Raises ValidationError on the field concerned.
    """
    # Lock the learner: two requests for him at once would both pass the check below.
    learner = Employee.objects.select_for_update(of=("self",)).get(pk=learner.pk)
    starts_on = starts_on or timezone.localdate()
    target_result = target_result.strip()
    if not target_result:
        raise field_error("target_result", ERRORS["target_required"], code="target_required")
    if planned_end is None:
        raise field_error(
            "planned_end", ERRORS["planned_end_required"], code="planned_end_required"
        )
    if planned_end <= starts_on:
        raise field_error(
            "planned_end",
            ERRORS["planned_end_before_start"],
            code="planned_end_before_start",
            params={"date": starts_on},
        )
    open_coaching = (
        Guidance.objects.filter(
            learner=learner,
            kind=GuidanceKind.COACH,
            status__in=[GuidanceStatus.REQUESTED, GuidanceStatus.ACTIVE],
            ends_on__isnull=True,
        )
        .select_related("guide")
        .first()
    )
    if open_coaching is not None:
        raise field_error(
            "coach",
            ERRORS["coaching_open"],
            code="coaching_open",
            params={
                "learner": learner,
                "coach": open_coaching.guide,
                "status": open_coaching.get_status_display().lower(),
            },
        )
    try:
        return services.guide_designate(
            learner=learner,
            guide=coach,
            by=by,
            kind=GuidanceKind.COACH,
            starts_on=starts_on,
            reason=reason.strip(),
            target_result=target_result,
            planned_end=planned_end,
            status=GuidanceStatus.REQUESTED,
        )
    except ValidationError as error:
        # guide_designate names the guide "guide"; on this form he is the coach.
        if hasattr(error, "error_dict") and "guide" in error.error_dict:
            error.error_dict["coach"] = error.error_dict.pop("guide")
        raise


@transaction.atomic
def coaching_answer(
    *, guidance: Guidance, by: User, accept: bool, reason: str = "", is_coach: bool = True
) -> Guidance:
    """The coach accepts or declines a coaching request (HR may answer for him: `is_coach`
    False means the caller checked that `by` is HR).

    Rules: a coaching request not answered yet; a decline says why. A declined request ends the
    day it is answered (or on its planned start). Raises ValidationError on "reason" or
    "__all__".
    """
    guidance = _locked(guidance)
    if guidance.kind != GuidanceKind.COACH:
        raise field_error("__all__", ERRORS["not_coaching"], code="not_coaching")
    if guidance.status != GuidanceStatus.REQUESTED:
        raise field_error(
            "__all__",
            ERRORS["not_requested"],
            code="not_requested",
            params={"status": guidance.get_status_display().lower()},
        )
    reason = reason.strip()
    now = timezone.now()
    guidance.answered_at = now
    if accept:
        guidance.status = GuidanceStatus.ACTIVE
        fields = ["status", "answered_at"]
    else:
        if not reason:
            raise field_error("reason", ERRORS["decline_reason"], code="decline_reason")
        guidance.status = GuidanceStatus.DECLINED
        guidance.ends_on = max(timezone.localdate(), guidance.starts_on)
        guidance.end_reason = reason
        fields = ["status", "answered_at", "ends_on", "end_reason"]
    guidance.save(update_fields=fields)
    audit.record(
        actor=by,
        action="onboarding.coaching_accepted" if accept else "onboarding.coaching_declined",
        obj=guidance,
        before={"status": GuidanceStatus.REQUESTED},
        after={"status": guidance.status, "reason": reason, "by_coach": is_coach},
    )
    return guidance


# --- Mentor programmes (MEN-08) -----------------------------------------------------------------


def _check_programme_fields(
    *, organisation: Organisation, values: dict[str, Any], exclude: int | None
) -> None:
    sponsor = values.get("sponsor")
    if sponsor is None:
        raise field_error("sponsor", ERRORS["sponsor_required"], code="sponsor_required")
    if sponsor.organisation_id != organisation.pk:
        raise field_error("sponsor", ERRORS["other_organisation"], code="other_organisation")
    if sponsor.exit_date is not None and sponsor.exit_date < timezone.localdate():
        raise field_error(
            "sponsor", ERRORS["sponsor_left"], code="sponsor_left", params={"name": sponsor}
        )
    starts_on, ends_on = values["starts_on"], values.get("ends_on")
    if ends_on is not None and ends_on < starts_on:
        raise field_error(
            "ends_on",
            ERRORS["end_before_start"],
            code="end_before_start",
            params={"date": starts_on},
        )
    if values.get("is_active", True):
        others = MentorProgramme.objects.filter(
            organisation=organisation, is_active=True, name__iexact=values["name"].strip()
        )
        if exclude is not None:
            others = others.exclude(pk=exclude)
        if others.exists():
            raise field_error(
                "name",
                ERRORS["programme_exists"],
                code="programme_exists",
                params={"name": values["name"]},
            )


@transaction.atomic
def programme_create(
    *,
    organisation: Organisation,
    by: User | None,
    name: str,
    goals: str,
    sponsor: Employee | None,
    starts_on: datetime.date,
    expectations: str = "",
    agreements: str = "",
    ends_on: datetime.date | None = None,
    is_active: bool = True,
) -> MentorProgramme:
    """Create a formal mentor programme: goals, expectations, agreements and a sponsor from top
    management (brochure L2230-2238).

    Rules: a sponsor of this organisation who still works here; the end after the start; one
    active programme per name. Raises ValidationError on the field concerned.
    """
    values: dict[str, Any] = {
        "name": name.strip(),
        "goals": goals,
        "expectations": expectations,
        "agreements": agreements,
        "sponsor": sponsor,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "is_active": is_active,
    }
    _check_programme_fields(organisation=organisation, values=values, exclude=None)
    programme = MentorProgramme.objects.create(organisation=organisation, **values)
    audit.record(
        actor=by,
        action="onboarding.programme_created",
        obj=programme,
        after={**values, "sponsor": sponsor.pk if sponsor else None},
    )
    return programme


@transaction.atomic
def programme_update(
    *, programme: MentorProgramme, by: User | None, **values: Any
) -> MentorProgramme:
    """Change a mentor programme; the rules of `programme_create` apply."""
    programme = MentorProgramme.objects.select_for_update().get(pk=programme.pk)
    current = {name: getattr(programme, name) for name in PROGRAMME_FIELDS}
    merged = {**current, **{k: v for k, v in values.items() if k in PROGRAMME_FIELDS}}
    merged["name"] = merged["name"].strip()
    _check_programme_fields(
        organisation=programme.organisation, values=merged, exclude=programme.pk
    )
    for name, value in merged.items():
        setattr(programme, name, value)
    programme.save(update_fields=PROGRAMME_FIELDS)

    def plain(data: dict[str, Any]) -> dict[str, Any]:
        return {k: (v.pk if isinstance(v, Employee) else v) for k, v in data.items()}

    audit.record(
        actor=by,
        action="onboarding.programme_changed",
        obj=programme,
        before=plain(current),
        after=plain(merged),
    )
    return programme


# --- Instructor selection (MEN-11, MEN-15) ------------------------------------------------------


def _check_selection(
    *,
    organisation: Organisation,
    candidate: Employee,
    workstation: Workstation | None,
    exclude: int | None,
    competence: Any = None,
) -> None:
    for field, obj in (
        ("candidate", candidate),
        ("workstation", workstation),
        ("competence", competence),
    ):
        if obj is not None and obj.organisation_id != organisation.pk:
            raise field_error(field, ERRORS["other_organisation"], code="other_organisation")
    if candidate.exit_date is not None and candidate.exit_date < timezone.localdate():
        raise field_error(
            "candidate", ERRORS["candidate_left"], code="candidate_left", params={"name": candidate}
        )
    others = InstructorSelection.objects.filter(
        candidate=candidate, workstation=workstation, outcome=SelectionOutcome.PENDING
    )
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if others.exists():
        raise field_error(
            "candidate", ERRORS["selection_open"], code="selection_open", params={"name": candidate}
        )


@transaction.atomic
def selection_create(
    *,
    organisation: Organisation,
    by: User | None,
    candidate: Employee,
    workstation: Workstation | None = None,
    competence: Any = None,
    profile_match: str = "",
    assessment: str = "",
    peer_feedback: str = "",
) -> InstructorSelection:
    """Open the selection record of a candidate instructor.

    Rules: candidate, workstation and competence of this organisation; the candidate still works
    here; one open record per candidate and workstation.
    """
    candidate = Employee.objects.select_for_update(of=("self",)).get(pk=candidate.pk)
    _check_selection(
        organisation=organisation,
        candidate=candidate,
        workstation=workstation,
        competence=competence,
        exclude=None,
    )
    selection = InstructorSelection.objects.create(
        organisation=organisation,
        candidate=candidate,
        workstation=workstation,
        competence=competence,
        profile_match=profile_match,
        assessment=assessment,
        peer_feedback=peer_feedback,
    )
    audit.record(
        actor=by,
        action="onboarding.selection_opened",
        obj=selection,
        after={
            "candidate": candidate.pk,
            "workstation": workstation.pk if workstation else None,
            "competence": competence.pk if competence else None,
        },
    )
    return selection


@transaction.atomic
def selection_update(
    *, selection: InstructorSelection, by: User | None, **values: Any
) -> InstructorSelection:
    """Complete the record (profile, assessment, peer feedback) while it is pending."""
    selection = InstructorSelection.objects.select_for_update().get(pk=selection.pk)
    if selection.outcome != SelectionOutcome.PENDING:
        raise field_error(
            "__all__",
            ERRORS["selection_decided"],
            code="selection_decided",
            params={"date": selection.decided_on},
        )
    merged = {name: getattr(selection, name) for name in SELECTION_FIELDS}
    merged.update({k: v for k, v in values.items() if k in SELECTION_FIELDS})
    _check_selection(
        organisation=selection.organisation,
        candidate=merged["candidate"],
        workstation=merged["workstation"],
        competence=merged["competence"],
        exclude=selection.pk,
    )
    for name, value in merged.items():
        setattr(selection, name, value)
    selection.save(update_fields=SELECTION_FIELDS)
    audit.record(
        actor=by,
        action="onboarding.selection_changed",
        obj=selection,
        after={
            name: (value.pk if hasattr(value, "pk") else value) for name, value in merged.items()
        },
    )
    return selection


@transaction.atomic
def selection_decide(
    *,
    selection: InstructorSelection,
    by: User | None,
    outcome: str,
    decided_on: datetime.date | None = None,
    feedback_conversation_on: datetime.date | None = None,
    feedback_note: str = "",
) -> InstructorSelection:
    """Record the outcome. A candidate not retained has had a feedback conversation, so that he
    understands why (brochure L1071-1073): its date and what was said are required.

    Rules: pending; an assessment on record; dates not in the future; the conversation not
    before the decision. Raises ValidationError on the field concerned.
    """
    selection = InstructorSelection.objects.select_for_update().get(pk=selection.pk)
    today = timezone.localdate()
    decided_on = decided_on or today
    if selection.outcome != SelectionOutcome.PENDING:
        raise field_error(
            "outcome",
            ERRORS["selection_decided"],
            code="selection_decided",
            params={"date": selection.decided_on},
        )
    if outcome not in (SelectionOutcome.SELECTED, SelectionOutcome.NOT_RETAINED):
        raise field_error("outcome", ERRORS["outcome_choice"], code="outcome_choice")
    if not selection.assessment.strip():
        raise field_error("outcome", ERRORS["assessment_required"], code="assessment_required")
    if decided_on > today:
        raise field_error(
            "decided_on", ERRORS["future_date"], code="future_date", params={"today": today}
        )
    feedback_note = feedback_note.strip()
    if outcome == SelectionOutcome.NOT_RETAINED:
        if feedback_conversation_on is None:
            raise field_error(
                "feedback_conversation_on",
                ERRORS["feedback_date_required"],
                code="feedback_date_required",
            )
        if feedback_conversation_on > today:
            raise field_error(
                "feedback_conversation_on",
                ERRORS["future_date"],
                code="future_date",
                params={"today": today},
            )
        if feedback_conversation_on < decided_on:
            raise field_error(
                "feedback_conversation_on",
                ERRORS["feedback_before_decision"],
                code="feedback_before_decision",
                params={"date": decided_on},
            )
        if not feedback_note:
            raise field_error(
                "feedback_note", ERRORS["feedback_note_required"], code="feedback_note_required"
            )
    selection.outcome = outcome
    selection.decided_on = decided_on
    selection.decided_by = by
    selection.feedback_conversation_on = feedback_conversation_on
    selection.feedback_note = feedback_note
    selection.save(
        update_fields=[
            "outcome",
            "decided_on",
            "decided_by",
            "feedback_conversation_on",
            "feedback_note",
        ]
    )
    audit.record(
        actor=by,
        action="onboarding.selection_decided",
        obj=selection,
        before={"outcome": SelectionOutcome.PENDING},
        after={
            "outcome": outcome,
            "decided_on": decided_on,
            "feedback_conversation_on": feedback_conversation_on,
        },
    )
    return selection
