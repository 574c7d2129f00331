"""Writes on onboarding templates, onboardings, their tasks and guidance (peters/meters).

Every function validates first, writes inside one transaction and appends to the audit log.
"""

from __future__ import annotations

import calendar
import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerplek.core import audit
from leerplek.core.errors import field_error
from leerplek.onboarding.models import (
    ConsultationApproval,
    Guidance,
    GuidanceKind,
    GuidanceStatus,
    GuideProfile,
    MentorProgramme,
    Onboarding,
    OnboardingReason,
    OnboardingStatus,
    OnboardingTask,
    OnboardingTemplate,
    Section,
    TaskOwner,
    TemplateTask,
)
from leerplek.people.models import Employee, Job, Organisation, User

TEMPLATE_FIELDS = ["name", "job", "description", "duration_months", "is_active"]
TASK_FIELDS = [
    "section",
    "title",
    "owner",
    "offset_days",
    "how",
    "duration_days",
    "on_work_floor",
    "position",
]

# Only a new hire needs the company-level content; someone who moves within the firm, is
# reorganised or gets new equipment knows the company already (ONB-12).
FULL_PLAN_REASONS = {OnboardingReason.NEW_HIRE}

ERRORS = {
    "other_organisation": _("Choose one from this organisation."),
    "job_has_template": _(
        "The function %(job)s already has an active template. Edit that one or deactivate it first."
    ),
    "company_template_exists": _(
        "There is already an active company-wide template. Edit that one or deactivate it first."
    ),
    "person_left": _("%(name)s left on %(date)s; no onboarding can start for this person."),
    "already_onboarding": _(
        "%(name)s already has an active onboarding (started %(date)s). Open that one."
    ),
    "no_template": _(
        "There is no active template for %(name)s: neither a company-wide one nor one for the "
        "function. Create a template first."
    ),
    "own_organiser": _(
        "The newcomer cannot organise his own welcome. Choose a member of the hierarchical line."
    ),
    "organiser_left": _("%(name)s has left; choose someone who works here."),
    "organiser_not_line": _(
        "%(name)s is not in the hierarchical line: choose someone who leads a unit, manages "
        "people, or is HR."
    ),
    "own_guide": _("A newcomer cannot be his own peter/meter. Choose an experienced colleague."),
    "guide_left": _("%(name)s has left the organisation; choose someone who works here."),
    "primary_exists": _(
        "%(learner)s already has %(guide)s as peter/meter. Designate this person as backup, or "
        "end the current designation first."
    ),
    "backup_without_primary": _(
        "Designate the peter/meter first; a backup stands in for him or her."
    ),
    "guide_full": _(
        "%(name)s already guides %(count)s newcomers, the maximum. Choose another colleague."
    ),
    "onboarding_closed": _("This onboarding is no longer active; its tasks cannot change."),
    "already_done": _("This task was already marked done on %(date)s."),
    "no_guide": _(
        "This task is on the work floor. Designate a peter/meter first: every newcomer works "
        "alongside an experienced colleague (Codex welzijn op het werk, art. I.2-11)."
    ),
    "future_date": _("The date cannot be in the future; today is %(today)s."),
}


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved `months` ahead, on the last day of the month when it has fewer days."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _same_organisation(field: str, obj: Any, organisation: Organisation) -> None:
    if obj is not None and obj.organisation_id != organisation.pk:
        raise field_error(field, ERRORS["other_organisation"], code="other_organisation")


def _has_left(person: Employee, on: datetime.date) -> bool:
    return person.exit_date is not None and person.exit_date < on


# --- Templates -----------------------------------------------------------------------------------


def _check_template(
    *, organisation: Organisation, job: Job | None, is_active: bool, exclude: int | None
) -> None:
    _same_organisation("job", job, organisation)
    if not is_active:
        return
    others = OnboardingTemplate.objects.filter(organisation=organisation, is_active=True)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if job is not None and others.filter(job=job).exists():
        raise field_error(
            "job", ERRORS["job_has_template"], code="job_has_template", params={"job": job.name}
        )
    if job is None and others.filter(job__isnull=True).exists():
        raise field_error("job", ERRORS["company_template_exists"], code="company_template_exists")


@transaction.atomic
def template_create(
    *,
    organisation: Organisation,
    by: User | None,
    name: str,
    job: Job | None = None,
    description: str = "",
    duration_months: int = 6,
    is_active: bool = True,
) -> OnboardingTemplate:
    """Create a template, company-wide when `job` is None.

    Rules: one active template per function and one active company-wide template.
    Raises ValidationError on "job".
    """
    _check_template(organisation=organisation, job=job, is_active=is_active, exclude=None)
    template = OnboardingTemplate.objects.create(
        organisation=organisation,
        name=name,
        job=job,
        description=description,
        duration_months=duration_months,
        is_active=is_active,
    )
    audit.record(
        actor=by,
        action="onboarding.template_created",
        obj=template,
        after=audit.snapshot(template, TEMPLATE_FIELDS),
    )
    return template


@transaction.atomic
def template_update(
    *, template: OnboardingTemplate, by: User | None, **values: Any
) -> OnboardingTemplate:
    """Change a template's name, function, description, duration or active flag (same rules as
    `template_create`)."""
    before = audit.snapshot(template, TEMPLATE_FIELDS)
    job = values.get("job", template.job)
    is_active = values.get("is_active", template.is_active)
    _check_template(
        organisation=template.organisation, job=job, is_active=is_active, exclude=template.pk
    )
    for name in TEMPLATE_FIELDS:
        if name in values:
            setattr(template, name, values[name])
    template.save()
    old, new = audit.changed(before, audit.snapshot(template, TEMPLATE_FIELDS))
    if new:
        audit.record(
            actor=by, action="onboarding.template_changed", obj=template, before=old, after=new
        )
    return template


@transaction.atomic
def template_task_save(
    *,
    template: OnboardingTemplate,
    by: User | None,
    task: TemplateTask | None = None,
    **values: Any,
) -> TemplateTask:
    """Add a task to `template`, or change `task` of it."""
    if task is None:
        task = TemplateTask(template=template)
        before: dict[str, Any] = {}
        action = "onboarding.template_task_added"
    else:
        before = audit.snapshot(task, TASK_FIELDS)
        action = "onboarding.template_task_changed"
    for name in TASK_FIELDS:
        if name in values:
            setattr(task, name, values[name])
    task.save()
    old, new = audit.changed(before, audit.snapshot(task, TASK_FIELDS))
    audit.record(
        actor=by,
        action=action,
        obj=task,
        organisation=template.organisation,
        before=old or None,
        after={"template": template.pk, **new},
    )
    return task


@transaction.atomic
def template_task_remove(*, task: TemplateTask, by: User | None) -> None:
    """Remove a task from its template; onboardings already started keep their copy."""
    template = task.template
    audit.record(
        actor=by,
        action="onboarding.template_task_removed",
        obj=task,
        organisation=template.organisation,
        before={"template": template.pk, **audit.snapshot(task, TASK_FIELDS)},
    )
    task.delete()


@transaction.atomic
def approval_record(
    *,
    organisation: Organisation,
    by: User | None,
    body: str,
    meeting_date: datetime.date,
    note: str = "",
) -> ConsultationApproval:
    """Record that a consultation body approved the onboarding procedure.

    Rule: the meeting is not in the future. Raises ValidationError on "meeting_date".
    """
    today = timezone.localdate()
    if meeting_date > today:
        raise field_error(
            "meeting_date", ERRORS["future_date"], code="future_date", params={"today": today}
        )
    approval = ConsultationApproval.objects.create(
        organisation=organisation, body=body, meeting_date=meeting_date, note=note, recorded_by=by
    )
    audit.record(
        actor=by,
        action="onboarding.procedure_approved",
        obj=approval,
        after={"body": body, "meeting_date": meeting_date, "note": note},
    )
    return approval


# --- Starting an onboarding ----------------------------------------------------------------------


@transaction.atomic
def onboarding_start(
    *,
    employee: Employee,
    by: User | None,
    reason: str,
    start_date: datetime.date,
    organiser: Employee,
) -> Onboarding:
    """Start `employee`'s onboarding from the active company-wide template and the template of
    his function, with tasks dated from `start_date`.

    A new hire gets every section; any other reason gets the reduced plan without the
    company information. The competence check lists his gaps against the requirements of his
    function and workstation (one task per competence, due at the planned end).

    Rules: the person still works here and has no active onboarding; the organiser is another
    person of this organisation who still works here and belongs to the hierarchical line; at
    least one template applies.
    Raises ValidationError on "employee" or "organiser".
    """
    from leerplek.onboarding import services_reviews
    from leerplek.onboarding.selectors import competence_gaps_of, hierarchical_line

    organisation = employee.organisation
    # Lock the person: two HR users may start the same onboarding at once.
    employee = (
        Employee.objects.select_for_update(of=("self",)).select_related("job").get(pk=employee.pk)
    )
    _same_organisation("organiser", organiser, organisation)
    if _has_left(employee, start_date):
        raise field_error(
            "employee",
            ERRORS["person_left"],
            code="person_left",
            params={"name": employee, "date": employee.exit_date},
        )
    running = Onboarding.objects.filter(employee=employee, status=OnboardingStatus.ACTIVE).first()
    if running is not None:
        raise field_error(
            "employee",
            ERRORS["already_onboarding"],
            code="already_onboarding",
            params={"name": employee, "date": running.start_date},
        )
    if organiser.pk == employee.pk:
        raise field_error("organiser", ERRORS["own_organiser"], code="own_organiser")
    if _has_left(organiser, timezone.localdate()):
        raise field_error(
            "organiser", ERRORS["organiser_left"], code="organiser_left", params={"name": organiser}
        )
    if not hierarchical_line(organisation=organisation).filter(pk=organiser.pk).exists():
        raise field_error(
            "organiser",
            ERRORS["organiser_not_line"],
            code="organiser_not_line",
            params={"name": organiser},
        )
    applies = Q(job__isnull=True)
    if employee.job_id:
        applies |= Q(job_id=employee.job_id)
    templates = list(
        OnboardingTemplate.objects.filter(applies, organisation=organisation, is_active=True)
    )
    if not templates:
        raise field_error(
            "employee", ERRORS["no_template"], code="no_template", params={"name": employee}
        )
    months = max(template.duration_months for template in templates)
    onboarding = Onboarding.objects.create(
        organisation=organisation,
        employee=employee,
        job=employee.job,
        reason=reason,
        start_date=start_date,
        end_date=add_months(start_date, months),
        organiser=organiser,
        created_by=by,
        review_interval_days=services_reviews.interval_for(employee.job),
    )
    skip = set() if reason in FULL_PLAN_REASONS else {Section.COMPANY}
    tasks = [
        OnboardingTask(
            onboarding=onboarding,
            template_task=task,
            section=task.section,
            title=task.title,
            owner=task.owner,
            how=task.how,
            due_on=start_date + datetime.timedelta(days=task.offset_days),
            duration_days=task.duration_days,
            on_work_floor=task.on_work_floor,
            # A work-floor task is at his own workstation: a release there closes it (ONB-09).
            workstation_id=employee.workstation_id if task.on_work_floor else None,
            position=task.position,
        )
        for task in TemplateTask.objects.filter(template__in=[t.pk for t in templates]).order_by(
            "offset_days", "position", "id"
        )
        if task.section not in skip
    ]
    for position, gap in enumerate(competence_gaps_of(employee=employee)):
        tasks.append(
            OnboardingTask(
                onboarding=onboarding,
                section=Section.COMPETENCE_CHECK,
                title=gap.competence.name,
                owner=TaskOwner.MANAGER,
                due_on=onboarding.end_date,
                competence=gap.competence,
                required_level=gap.required,
                actual_level_code=gap.actual_code,
                position=position,
            )
        )
    OnboardingTask.objects.bulk_create(tasks)
    reviews = services_reviews.reviews_schedule_initial(onboarding=onboarding)
    audit.record(
        actor=by,
        action="onboarding.started",
        obj=onboarding,
        after={
            "employee": employee.pk,
            "reason": reason,
            "start_date": start_date,
            "organiser": organiser.pk,
            "templates": sorted(t.pk for t in templates),
            "tasks": len(tasks),
            "reviews": len(reviews),
        },
    )
    return onboarding


# --- Guides (peters/meters) ----------------------------------------------------------------------


def max_mentees() -> int:
    return int(settings.LEERPLEK["MAX_MENTEES_DEFAULT"])


def has_guide(onboarding: Onboarding, on: datetime.date | None = None) -> bool:
    """Whether the newcomer has a current primary peter/meter."""
    return (
        Guidance.objects.current(on)
        .filter(learner_id=onboarding.employee_id, kind=GuidanceKind.MENTOR, is_backup=False)
        .exists()
    )


@transaction.atomic
def guide_designate(
    *,
    learner: Employee,
    guide: Employee,
    by: User | None,
    kind: str = GuidanceKind.MENTOR,
    is_backup: bool = False,
    onboarding: Onboarding | None = None,
    starts_on: datetime.date | None = None,
    reason: str = "",
    target_result: str = "",
    planned_end: datetime.date | None = None,
    programme: MentorProgramme | None = None,
    status: str = GuidanceStatus.ACTIVE,
) -> Guidance:
    """Designate `guide` for `learner` (by default his peter/meter).

    Rules: not the learner himself; the guide still works here; one current primary guide of a
    kind per learner (another one is a backup); a backup only next to a primary; a peter/meter
    guides at most his pool profile's `max_mentees` (else LEERPLEK["MAX_MENTEES_DEFAULT"]) learners
    as primary. Raises ValidationError on
    "guide" or "is_backup".
    """
    organisation = learner.organisation
    _same_organisation("guide", guide, organisation)
    today = timezone.localdate()
    starts_on = starts_on or (onboarding.start_date if onboarding else today)
    # Lock the guide: two HR users may give him a newcomer at the same moment.
    guide = Employee.objects.select_for_update().get(pk=guide.pk)
    if guide.pk == learner.pk:
        raise field_error("guide", ERRORS["own_guide"], code="own_guide")
    if _has_left(guide, max(today, starts_on)):
        raise field_error("guide", ERRORS["guide_left"], code="guide_left", params={"name": guide})
    # A guide whose last day is the first day of the new one hands over (a replacement).
    current = (
        Guidance.objects.current(max(today, starts_on))
        .filter(learner=learner, kind=kind)
        .exclude(ends_on=starts_on)
    )
    primary = current.filter(is_backup=False).select_related("guide").first()
    if not is_backup and primary is not None:
        raise field_error(
            "is_backup",
            ERRORS["primary_exists"],
            code="primary_exists",
            params={"learner": learner, "guide": primary.guide},
        )
    if is_backup and primary is None:
        raise field_error(
            "is_backup", ERRORS["backup_without_primary"], code="backup_without_primary"
        )
    if kind == GuidanceKind.MENTOR and not is_backup:
        count = (
            Guidance.objects.current()
            .filter(guide=guide, kind=kind, is_backup=False)
            .exclude(learner__exit_date__lt=today)
            .count()
        )
        # The pool profile's own maximum, if he has one (MEN-05); else the default.
        limit = (
            GuideProfile.objects.filter(employee=guide)
            .values_list("max_mentees", flat=True)
            .first()
        )
        if count >= (limit or max_mentees()):
            raise field_error(
                "guide",
                ERRORS["guide_full"],
                code="guide_full",
                params={"name": guide, "count": count},
            )
    guidance = Guidance.objects.create(
        organisation=organisation,
        kind=kind,
        guide=guide,
        learner=learner,
        is_backup=is_backup,
        onboarding=onboarding,
        starts_on=starts_on,
        designated_by=by,
        reason=reason,
        target_result=target_result,
        planned_end=planned_end,
        programme=programme,
        status=status,
        requested_by=by if status == GuidanceStatus.REQUESTED else None,
    )
    audit.record(
        actor=by,
        action="onboarding.guide_designated",
        obj=guidance,
        after={
            "kind": kind,
            "guide": guide.pk,
            "learner": learner.pk,
            "is_backup": is_backup,
            "onboarding": onboarding.pk if onboarding else None,
            "starts_on": starts_on,
            "reason": reason,
            "status": status,
            "target_result": target_result,
            "planned_end": planned_end,
            "programme": programme.pk if programme else None,
        },
    )
    return guidance


# --- Tasks ---------------------------------------------------------------------------------------


@transaction.atomic
def task_mark_done(
    *, task: OnboardingTask, by: User | None, done_on: datetime.date | None = None
) -> OnboardingTask:
    """Mark `task` done.

    Rules: the onboarding is active; the task is not done yet; the date is not in the future; a
    work-floor task needs a designated peter/meter (Codex art. I.2-11).
    Raises ValidationError on "done_on".
    """
    task = OnboardingTask.objects.select_for_update().select_related("onboarding").get(pk=task.pk)
    onboarding = task.onboarding
    today = timezone.localdate()
    done_on = done_on or today
    if onboarding.status != OnboardingStatus.ACTIVE:
        raise field_error("done_on", ERRORS["onboarding_closed"], code="onboarding_closed")
    if task.done_on is not None:
        raise field_error(
            "done_on", ERRORS["already_done"], code="already_done", params={"date": task.done_on}
        )
    if done_on > today:
        raise field_error(
            "done_on", ERRORS["future_date"], code="future_date", params={"today": today}
        )
    if task.on_work_floor and not has_guide(onboarding):
        raise field_error("done_on", ERRORS["no_guide"], code="no_guide")
    task.done_on = done_on
    task.done_by = by
    task.blocked_reason = ""
    task.save(update_fields=["done_on", "done_by", "blocked_reason"])
    audit.record(
        actor=by,
        action="onboarding.task_done",
        obj=task,
        organisation=onboarding.organisation,
        after={"onboarding": onboarding.pk, "done_on": done_on},
    )
    return task
