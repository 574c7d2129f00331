"""Writes of the annual training plan (PLAN-01, PLAN-03, PLAN-05..08): the plan and its lines,
submitted needs and how each need is met, the consultation with the works council, CPBW or
union delegation, and the transfer follow-up after a formal course.

The legal steps (belgian-rules.md §3.4; days and dates are settings, read in `setting`): the
draft goes to the body at least PLAN_DRAFT_DAYS_BEFORE_MEETING days before the meeting; the body
advises by PLAN_ADVICE_BY; the plan is in force by PLAN_IN_FORCE_BY and a copy, anonymised, is
filed within PLAN_FILING_MONTHS months. A step out of order, or a draft shared too late, is
refused with a message naming the field; a step done after its deadline is allowed and shown as
late. Every write validates first, runs in one transaction and appends to the audit log.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leerplek.competences.models import Competence, CompetenceKind, NeedStatus, TrainingNeed
from leerplek.core import audit
from leerplek.core.errors import field_error
from leerplek.core.roles import Role
from leerplek.people.models import Employee, Organisation, OrgUnit, User
from leerplek.registration.models import (
    ActivityStatus,
    Category,
    ConsultationBody,
    LearningForm,
    NeedResolution,
    Participation,
    ParticipationStatus,
    PlanComment,
    PlanLine,
    PlanStatus,
    SubmittedNeed,
    SubmittedNeedSource,
    TrainingPlan,
    TransferFollowUp,
    TransferStatus,
)
from leerplek.registration.services import decimal_or_error

# The plan's settings with their documented defaults (leerplek/settings.py, "Training plan").
# PLAN_TRANSFER_WEEKS and PLAN_TRANSFER_LOOKBACK_DAYS are not in settings yet: the follow-up is
# due this many weeks after the course, and the command looks back this many days.
DEFAULTS: dict[str, Any] = {
    "PLAN_MIN_WORKERS": 20,
    "PLAN_DRAFT_DAYS_BEFORE_MEETING": 15,
    "PLAN_ADVICE_BY": "03-15",
    "PLAN_IN_FORCE_BY": "03-31",
    "PLAN_FILING_MONTHS": 1,
    "PLAN_WARNING_DAYS": 14,
    "PLAN_RISK_GROUPS": (),
    "PLAN_TRANSFER_WEEKS": 6,
    "PLAN_TRANSFER_LOOKBACK_DAYS": 365,
}


def setting(key: str) -> Any:
    """The plan setting `key` from settings.LEERPLEK, else its documented default."""
    return settings.LEERPLEK.get(key, DEFAULTS[key])


ERRORS = {
    "year": gettext_lazy("Give a year between 2000 and 2200."),
    "year_taken": gettext_lazy("This year already has a training plan."),
    "budget": gettext_lazy("The budget cannot be negative."),
    "title": gettext_lazy("Name the training."),
    "category": gettext_lazy("Choose formal or informal."),
    "target_group": gettext_lazy("Say for whom: the law asks the target group of each training."),
    "negative": gettext_lazy("Cannot be negative."),
    "risk_groups": gettext_lazy("Choose the risk groups from the list."),
    "learning_form": gettext_lazy("Choose how the need is met."),
    "description": gettext_lazy("Say what should be learnt."),
    "too_long": gettext_lazy("At most %(limit)s characters."),
    "for_whom": gettext_lazy("Say for whom: a group, a unit or a person."),
    "other_organisation": gettext_lazy("Choose one from this organisation."),
    "source": gettext_lazy("You cannot put a need forward as %(source)s."),
    "plan_line": gettext_lazy("Choose a line of this organisation's plan."),
    "body": gettext_lazy("Choose the consultation body."),
    "no_lines": gettext_lazy("Add the trainings to the plan before sharing it."),
    "already_in_force": gettext_lazy("The plan is already in force."),
    "meeting_on": gettext_lazy("Give the date of the meeting."),
    "shared_on": gettext_lazy("Give the date the draft was shared."),
    "too_late": gettext_lazy(
        "The draft goes to the body at least %(days)s days before the meeting: with the draft "
        "shared on %(shared)s, meet on %(earliest)s or later."
    ),
    "not_shared": gettext_lazy("The plan is not shared with the body yet."),
    "comment": gettext_lazy("Write the comment."),
    "advice": gettext_lazy("Write down the body's advice."),
    "advice_on": gettext_lazy("Give the date of the advice."),
    "advice_before_draft": gettext_lazy("The advice cannot come before the draft was shared."),
    "share_first": gettext_lazy("Share the plan with the body first."),
    "advice_first": gettext_lazy("Record the body's advice before the plan enters into force."),
    "in_force_on": gettext_lazy("Give the date the plan enters into force."),
    "before_meeting": gettext_lazy("The plan cannot be in force before the meeting."),
    "not_in_force": gettext_lazy("Only a plan in force is filed."),
    "filed_on": gettext_lazy("Give the date the copy was filed."),
    "filed_before": gettext_lazy("The copy is filed after the plan enters into force."),
    "transfer_status": gettext_lazy("Choose applied, partly applied, not applied or open."),
    "transfer_note": gettext_lazy("Write how the course is applied at work, or why not."),
}


def _require(by: User, perm: str, obj: Any = None) -> None:
    if not by.has_perm(perm, obj):
        raise PermissionDenied


def _same_organisation(organisation_id: int, field: str, obj: Any) -> None:
    if obj is not None and getattr(obj, "organisation_id", None) != organisation_id:
        raise field_error(field, ERRORS["other_organisation"], code="other_organisation")


def _text(value: Any, field: str, limit: int, required: Any = None) -> str:
    text = str(value or "").strip()
    if required is not None and not text:
        raise field_error(field, required, code="required")
    if len(text) > limit:
        raise field_error(field, ERRORS["too_long"], code="too_long", params={"limit": limit})
    return text


def _date(value: Any, field: str) -> datetime.date:
    if not isinstance(value, datetime.date):
        raise field_error(field, ERRORS[field], code="required")
    return value


def risk_group_choices() -> list[tuple[str, str]]:
    """The configured risk groups as (code, label); labels are translated at display."""
    return [(str(code), str(label)) for code, label in setting("PLAN_RISK_GROUPS")]


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus `months` calendar months; the 31st becomes the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _deadline(year: int, key: str) -> datetime.date:
    month, day = (int(part) for part in str(setting(key)).split("-"))
    return datetime.date(year, month, day)


# --- The plan and its lines -------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *, organisation: Organisation, by: User | None, year: int, title: str = "", budget: Any = 0
) -> TrainingPlan:
    """Start the plan of `year`. Rules: one per year; budget not negative. Raises on "year",
    "budget"."""
    if by is not None:
        _require(by, "registration.manage_plan", organisation)
    if not isinstance(year, int) or not 2000 <= year <= 2200:
        raise field_error("year", ERRORS["year"], code="year")
    if TrainingPlan.objects.filter(organisation=organisation, year=year).exists():
        raise field_error("year", ERRORS["year_taken"], code="year_taken")
    value = decimal_or_error(budget or 0, "budget", _("The budget"))
    if value < 0:
        raise field_error("budget", ERRORS["budget"], code="negative")
    plan = TrainingPlan.objects.create(
        organisation=organisation,
        year=year,
        title=_text(title, "title", 200),
        budget=value,
        created_by=by,
    )
    audit.record(actor=by, action="registration.plan_created", obj=plan, after={"year": year})
    return plan


@transaction.atomic
def plan_update(*, plan: TrainingPlan, by: User, title: str, budget: Any) -> TrainingPlan:
    """Change the title or the budget total during the year (PLAN-05)."""
    _require(by, "registration.manage_plan", plan.organisation)
    value = decimal_or_error(budget or 0, "budget", _("The budget"))
    if value < 0:
        raise field_error("budget", ERRORS["budget"], code="negative")
    before = audit.snapshot(plan, ["title", "budget"])
    plan.title, plan.budget = _text(title, "title", 200), value
    plan.save(update_fields=["title", "budget"])
    old, new = audit.changed(before, audit.snapshot(plan, ["title", "budget"]))
    if new:
        audit.record(actor=by, action="registration.plan_changed", obj=plan, before=old, after=new)
    return plan


LINE_FIELDS = (
    "title",
    "category",
    "target_group",
    "learning_form",
    "planned_participants",
    "planned_hours",
    "planned_cost",
    "risk_groups",
    "gender_note",
    "counts_for_right",
    "right_note",
)


def _clean_line(values: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(values) - set(LINE_FIELDS))
    if unknown:
        # A caller's mistake, not bad input: say so loudly rather than drop the value.
        raise TypeError(f"Unknown plan line fields: {', '.join(unknown)}")
    clean = dict(values)
    clean["title"] = _text(clean.get("title"), "title", 200, ERRORS["title"])
    if clean.get("category") not in ("formal", "informal"):
        raise field_error("category", ERRORS["category"], code="category")
    clean["target_group"] = _text(
        clean.get("target_group"), "target_group", 300, ERRORS["target_group"]
    )
    form = clean.get("learning_form") or LearningForm.EXTERNAL
    if form not in LearningForm.values:
        raise field_error("learning_form", ERRORS["learning_form"], code="learning_form")
    clean["learning_form"] = form
    try:
        participants = int(clean.get("planned_participants") or 0)
    except (TypeError, ValueError):
        participants = -1
    if participants < 0:
        raise field_error("planned_participants", ERRORS["negative"], code="negative")
    clean["planned_participants"] = participants
    for field, label in (("planned_hours", _("The hours")), ("planned_cost", _("The cost"))):
        number = decimal_or_error(clean.get(field) or 0, field, label)
        if number < 0:
            raise field_error(field, ERRORS["negative"], code="negative")
        clean[field] = number
    allowed = [code for code, _label in risk_group_choices()]
    groups = list(clean.get("risk_groups") or [])
    if any(group not in allowed for group in groups):
        raise field_error("risk_groups", ERRORS["risk_groups"], code="risk_groups")
    clean["risk_groups"] = [code for code in allowed if code in groups]
    clean["gender_note"] = _text(clean.get("gender_note"), "gender_note", 300)
    clean["right_note"] = _text(clean.get("right_note"), "right_note", 300)
    clean["counts_for_right"] = bool(clean.get("counts_for_right", True))
    return clean


@transaction.atomic
def line_add(*, plan: TrainingPlan, by: User, **values: Any) -> PlanLine:
    """Add a training to the plan. Rules: a title, formal or informal, a target group, known risk
    groups, no negative planned figures. Raises on the field concerned."""
    _require(by, "registration.manage_plan", plan.organisation)
    clean = _clean_line(values)
    line = PlanLine.objects.create(plan=plan, position=plan.lines.count() + 1, **clean)
    audit.record(
        actor=by,
        action="registration.plan_line_added",
        obj=line,
        organisation=plan.organisation,
        after=clean,
    )
    return line


@transaction.atomic
def line_update(*, line: PlanLine, by: User, **values: Any) -> PlanLine:
    """An adjustment during the year (PLAN-05), also after filing: the audit log keeps what each
    line was, and the line page shows that history."""
    plan = line.plan
    _require(by, "registration.manage_plan", plan.organisation)
    line = PlanLine.objects.select_for_update().get(pk=line.pk)
    current = {key: getattr(line, key) for key in LINE_FIELDS}
    clean = _clean_line({**current, **values})
    for key, value in clean.items():
        setattr(line, key, value)
    line.save()
    before, after = audit.changed(audit.jsonable(current), audit.jsonable(clean))
    if after:
        audit.record(
            actor=by,
            action="registration.plan_line_changed",
            obj=line,
            organisation=plan.organisation,
            before=before,
            after=after,
        )
    return line


# --- Needs ------------------------------------------------------------------------------------


def allowed_sources(by: User) -> list[str]:
    """The sources a user may put a need forward as, the most specific first."""
    access = getattr(by, "access", None)
    sources: list[str] = []
    if access is None:
        return sources
    if access.has_role(Role.CONSULTATION):
        sources.append(SubmittedNeedSource.REPRESENTATIVE)
    if access.has_role(Role.MANAGER):
        sources.append(SubmittedNeedSource.MANAGER)
    if access.has_role(Role.HR, Role.ADMIN):
        sources += [SubmittedNeedSource.HR, SubmittedNeedSource.GAP]
    if access.employee_id is not None:
        sources.append(SubmittedNeedSource.EMPLOYEE)
    return sources or [SubmittedNeedSource.EMPLOYEE]


@transaction.atomic
def need_submit(
    *,
    organisation: Organisation,
    by: User,
    year: int,
    description: str,
    target_group: str = "",
    employee: Employee | None = None,
    unit: OrgUnit | None = None,
    competence: Competence | None = None,
    source: str = "",
) -> SubmittedNeed:
    """A need put forward for the plan of `year` by any member (PLAN-01, PLAN-03: the
    representatives submit needs too). Rules: a description; for whom (a group, a unit or a
    person); the source one of the user's roles allows. Raises on the field concerned."""
    _require(by, "registration.submit_needs", organisation)
    if not isinstance(year, int) or not 2000 <= year <= 2200:
        raise field_error("year", ERRORS["year"], code="year")
    description = _text(description, "description", 2000, ERRORS["description"])
    target_group = _text(target_group, "target_group", 300)
    for field, obj in (("employee", employee), ("unit", unit), ("competence", competence)):
        _same_organisation(organisation.pk, field, obj)
    if not (target_group or employee or unit):
        raise field_error("target_group", ERRORS["for_whom"], code="for_whom")
    allowed = allowed_sources(by)
    source = source or allowed[0]
    if source not in allowed:
        label = dict(SubmittedNeedSource.choices).get(source, source)
        raise field_error("source", ERRORS["source"], code="source", params={"source": label})
    need = SubmittedNeed.objects.create(
        organisation=organisation,
        year=year,
        source=source,
        description=description,
        target_group=target_group,
        employee=employee,
        unit=unit,
        competence=competence,
        submitted_by=by,
    )
    audit.record(
        actor=by,
        action="registration.need_submitted",
        obj=need,
        after={"source": source, "year": year},
    )
    return need


@dataclass(frozen=True)
class Suggestion:
    form: str
    reason: str

    @property
    def label(self) -> str:
        return str(LearningForm(self.form).label)


def suggest_form(competence: Competence | None) -> Suggestion | None:
    """The brochure's hint (PLAN-07, S-46): technical skills are often learnt off the job, in a
    course; taking responsibility, cooperating and watching quality rather on the job."""
    if competence is None:
        return None
    if competence.kind == CompetenceKind.TECHNICAL:
        return Suggestion(
            LearningForm.EXTERNAL,
            _(
                "%(competence)s is a technical or job-specific competence: such skills are "
                "often learnt best off the job, in a course."
            )
            % {"competence": competence.name},
        )
    return Suggestion(
        LearningForm.ON_THE_JOB,
        _(
            "%(competence)s is a general competence or an attitude: taking responsibility, "
            "cooperating and watching quality are learnt best on the job, with a peter/meter, "
            "on-the-job training or intervision."
        )
        % {"competence": competence.name},
    )


@transaction.atomic
def need_resolve(
    *,
    need: TrainingNeed | SubmittedNeed,
    by: User,
    learning_form: str,
    plan_line: PlanLine | None = None,
    note: str = "",
) -> NeedResolution:
    """Record how `need` is met and in which plan line (PLAN-07). The suggestion from the
    competence type is kept beside the choice, so an override shows. A gap need taken up in a
    line becomes "planned". Raises on "learning_form", "plan_line", "note"."""
    organisation_id = need.organisation_id
    _require(by, "registration.manage_plan", need.organisation)
    if learning_form not in LearningForm.values:
        raise field_error("learning_form", ERRORS["learning_form"], code="learning_form")
    if plan_line is not None and plan_line.plan.organisation_id != organisation_id:
        raise field_error("plan_line", ERRORS["plan_line"], code="plan_line")
    note = _text(note, "note", 500)
    suggestion = suggest_form(need.competence)
    key = "training_need" if isinstance(need, TrainingNeed) else "submitted_need"
    # Lock the need: two HR users may resolve it at once.
    type(need).objects.select_for_update().filter(pk=need.pk).first()
    resolution = NeedResolution.objects.filter(**{key: need}).first()
    before = (
        audit.snapshot(resolution, ["learning_form", "plan_line", "note"]) if resolution else {}
    )
    if resolution is None:
        resolution = NeedResolution(organisation_id=organisation_id, **{key: need})
    resolution.learning_form = learning_form
    resolution.suggested_form = suggestion.form if suggestion else ""
    resolution.plan_line = plan_line
    resolution.note = note
    resolution.decided_by = by
    resolution.save()
    if isinstance(need, TrainingNeed) and plan_line is not None and need.status == NeedStatus.OPEN:
        from leerplek.competences.need_services import training_need_set_status

        training_need_set_status(need=need, by=by, status=NeedStatus.PLANNED)
    audit.record(
        actor=by,
        action="registration.need_resolved",
        obj=resolution,
        before=before or None,
        after={
            "need": f"{key}:{need.pk}",
            "learning_form": learning_form,
            "suggested_form": resolution.suggested_form,
            "plan_line": getattr(plan_line, "pk", None),
        },
    )
    return resolution


# --- Consultation -----------------------------------------------------------------------------


@transaction.atomic
def plan_share(
    *,
    plan: TrainingPlan,
    by: User,
    body: str,
    meeting_on: datetime.date,
    shared_on: datetime.date,
) -> TrainingPlan:
    """The draft goes to the consultation body (or, without one, to the workers) for its
    meeting. Rules: the plan has lines; the draft is shared at least PLAN_DRAFT_DAYS_BEFORE_MEETING
    days before the meeting. Raises on "body", "status", "shared_on", "meeting_on"."""
    _require(by, "registration.manage_plan", plan.organisation)
    plan = TrainingPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status not in (PlanStatus.DRAFT, PlanStatus.IN_CONSULTATION):
        raise field_error("status", ERRORS["already_in_force"], code="status")
    if body not in ConsultationBody.values:
        raise field_error("body", ERRORS["body"], code="body")
    if not plan.lines.exists():
        raise field_error("status", ERRORS["no_lines"], code="no_lines")
    shared_on = _date(shared_on, "shared_on")
    meeting_on = _date(meeting_on, "meeting_on")
    days = int(setting("PLAN_DRAFT_DAYS_BEFORE_MEETING"))
    if (meeting_on - shared_on).days < days:
        raise field_error(
            "meeting_on",
            ERRORS["too_late"],
            code="too_late",
            params={
                "days": days,
                "shared": shared_on.strftime("%d/%m/%Y"),
                "earliest": (shared_on + datetime.timedelta(days=days)).strftime("%d/%m/%Y"),
            },
        )
    before = audit.snapshot(plan, ["body", "meeting_on", "shared_on", "status"])
    plan.body, plan.meeting_on, plan.shared_on = body, meeting_on, shared_on
    plan.status = PlanStatus.IN_CONSULTATION
    plan.save(update_fields=["body", "meeting_on", "shared_on", "status"])
    audit.record(
        actor=by,
        action="registration.plan_shared",
        obj=plan,
        before=before,
        after={"body": body, "meeting_on": meeting_on, "shared_on": shared_on},
    )
    return plan


@transaction.atomic
def comment_add(*, plan: TrainingPlan, by: User, text: str) -> PlanComment:
    """A comment of the body's members (or HR) on a shared plan. Raises on "text"."""
    _require(by, "registration.consult_plan", plan.organisation)
    status = TrainingPlan.objects.filter(pk=plan.pk).values_list("status", flat=True).get()
    if status == PlanStatus.DRAFT:
        raise field_error("text", ERRORS["not_shared"], code="not_shared")
    text = _text(text, "text", 5000, ERRORS["comment"])
    comment = PlanComment.objects.create(plan=plan, author=by, text=text)
    audit.record(
        actor=by, action="registration.plan_commented", obj=plan, after={"comment": comment.pk}
    )
    return comment


@transaction.atomic
def advice_record(
    *, plan: TrainingPlan, by: User, advice: str, advice_on: datetime.date
) -> TrainingPlan:
    """The body's advice and its date (due by PLAN_ADVICE_BY; later is recorded and shown late).
    Raises on "advice", "advice_on"."""
    _require(by, "registration.manage_plan", plan.organisation)
    plan = TrainingPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.IN_CONSULTATION:
        raise field_error("advice", ERRORS["share_first"], code="share_first")
    advice = _text(advice, "advice", 5000, ERRORS["advice"])
    advice_on = _date(advice_on, "advice_on")
    if plan.shared_on and advice_on < plan.shared_on:
        raise field_error("advice_on", ERRORS["advice_before_draft"], code="before_draft")
    plan.advice, plan.advice_on = advice, advice_on
    plan.save(update_fields=["advice", "advice_on"])
    audit.record(
        actor=by, action="registration.plan_advice", obj=plan, after={"advice_on": advice_on}
    )
    return plan


@transaction.atomic
def plan_in_force(*, plan: TrainingPlan, by: User, in_force_on: datetime.date) -> TrainingPlan:
    """The plan enters into force (due by PLAN_IN_FORCE_BY). Rules: shared; the body's advice
    recorded (not needed when the workers themselves were consulted); not before the meeting.
    Raises on "in_force_on"."""
    _require(by, "registration.manage_plan", plan.organisation)
    plan = TrainingPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.IN_CONSULTATION:
        raise field_error("in_force_on", ERRORS["share_first"], code="share_first")
    if not plan.advice and plan.body != ConsultationBody.WORKERS:
        raise field_error("in_force_on", ERRORS["advice_first"], code="advice_first")
    in_force_on = _date(in_force_on, "in_force_on")
    if plan.meeting_on and in_force_on < plan.meeting_on:
        raise field_error("in_force_on", ERRORS["before_meeting"], code="before_meeting")
    plan.in_force_on = in_force_on
    plan.status = PlanStatus.IN_FORCE
    plan.save(update_fields=["in_force_on", "status"])
    audit.record(actor=by, action="registration.plan_in_force", obj=plan, after={"on": in_force_on})
    return plan


@transaction.atomic
def plan_filed(*, plan: TrainingPlan, by: User, filed_on: datetime.date) -> TrainingPlan:
    """The anonymised copy was filed with FOD WASO (due within PLAN_FILING_MONTHS of entering into
    force). Raises on "filed_on"."""
    _require(by, "registration.manage_plan", plan.organisation)
    plan = TrainingPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.IN_FORCE or plan.in_force_on is None:
        raise field_error("filed_on", ERRORS["not_in_force"], code="not_in_force")
    filed_on = _date(filed_on, "filed_on")
    if filed_on < plan.in_force_on:
        raise field_error("filed_on", ERRORS["filed_before"], code="filed_before")
    plan.filed_on = filed_on
    plan.status = PlanStatus.FILED
    plan.save(update_fields=["filed_on", "status"])
    audit.record(actor=by, action="registration.plan_filed", obj=plan, after={"on": filed_on})
    return plan


@dataclass(frozen=True)
class Deadline:
    key: str
    label: str
    due: datetime.date | None
    done: datetime.date | None
    state: str  # done, late (done after the deadline), overdue, soon, open
    year: int

    @property
    def warns(self) -> bool:
        return self.state in ("soon", "overdue")


def deadlines(*, year: int, plan: TrainingPlan | None, today: datetime.date) -> list[Deadline]:
    """The legal steps of the plan of `year` (there may be no plan yet): each with its
    deadline, the day it was done and its state; "soon" within PLAN_WARNING_DAYS."""
    warning = int(setting("PLAN_WARNING_DAYS"))
    days = int(setting("PLAN_DRAFT_DAYS_BEFORE_MEETING"))
    advice_by = _deadline(year, "PLAN_ADVICE_BY")
    in_force_by = _deadline(year, "PLAN_IN_FORCE_BY")
    meeting = plan.meeting_on if plan is not None else None
    # Without a meeting date the draft is late at the latest when it can no longer reach a
    # meeting before the advice deadline.
    share_by = (meeting or advice_by) - datetime.timedelta(days=days)
    in_force_on = plan.in_force_on if plan is not None else None
    months = int(setting("PLAN_FILING_MONTHS"))
    file_by = add_months(in_force_on or in_force_by, months)
    steps = [
        (
            "shared",
            _("Draft to the consultation body, at least %(days)s days before the meeting")
            % {"days": days},
            share_by,
            plan.shared_on if plan else None,
        ),
        ("advice", _("The body's advice"), advice_by, plan.advice_on if plan else None),
        ("in_force", _("The plan enters into force"), in_force_by, in_force_on),
        (
            "filed",
            _("Copy filed with FOD WASO, personal data anonymised, within %(months)s month(s)")
            % {"months": months},
            file_by,
            plan.filed_on if plan else None,
        ),
    ]
    out = []
    for key, label, due, done in steps:
        if done is not None:
            state = "late" if done > due else "done"
        elif today > due:
            state = "overdue"
        elif (due - today).days <= warning:
            state = "soon"
        else:
            state = "open"
        out.append(Deadline(key, label, due, done, state, year))
    return out


def plan_deadline_warnings(organisation: Organisation, today: datetime.date) -> list[Deadline]:
    """The steps of this year's plan due within PLAN_WARNING_DAYS or overdue, for the home page
    (two queries at most). Without a plan this year, only for an organisation with at least
    PLAN_MIN_WORKERS people (the legal threshold)."""
    plan = TrainingPlan.objects.filter(organisation=organisation, year=today.year).first()
    if plan is None:
        staff = Employee.objects.filter(organisation=organisation, exit_date__isnull=True)
        if staff.count() < int(setting("PLAN_MIN_WORKERS")):
            return []
    return [step for step in deadlines(year=today.year, plan=plan, today=today) if step.warns]


# --- Transfer follow-up -----------------------------------------------------------------------


@transaction.atomic
def transfer_followups_create(
    *, today: datetime.date, organisation: Organisation | None = None
) -> int:
    """Make the missing follow-ups (PLAN-08) for completed participations in confirmed, counted
    formal activities that ended in the last PLAN_TRANSFER_LOOKBACK_DAYS days; each due
    PLAN_TRANSFER_WEEKS after the course. Idempotent and safe to run twice at once (one row per
    participation, conflicts ignored). Returns how many were made."""
    weeks = int(setting("PLAN_TRANSFER_WEEKS"))
    since = today - datetime.timedelta(days=int(setting("PLAN_TRANSFER_LOOKBACK_DAYS")))
    rows = Participation.objects.filter(
        status=ParticipationStatus.COMPLETED,
        activity__category=Category.FORMAL,
        activity__status=ActivityStatus.CONFIRMED,
        activity__exclusion="",
        activity__end_date__lte=today,
        activity__end_date__gte=since,
        transfer_followup__isnull=True,
    )
    if organisation is not None:
        rows = rows.filter(activity__organisation=organisation)
    made: dict[int, int] = {}
    batch: list[TransferFollowUp] = []

    def flush() -> None:
        TransferFollowUp.objects.bulk_create(batch, ignore_conflicts=True)
        batch.clear()

    for pk, organisation_id, end in rows.values_list(
        "pk", "activity__organisation_id", "activity__end_date"
    ).iterator(chunk_size=2000):
        batch.append(
            TransferFollowUp(
                organisation_id=organisation_id,
                participation_id=pk,
                due_on=end + datetime.timedelta(weeks=weeks),
            )
        )
        made[organisation_id] = made.get(organisation_id, 0) + 1
        if len(batch) >= 2000:
            flush()
    if batch:
        flush()
    for organisation_id, count in made.items():
        audit.record(
            actor=None,
            action="registration.transfer_followups_made",
            organisation=Organisation(pk=organisation_id),
            after={"count": count, "on": today},
        )
    return sum(made.values())


@transaction.atomic
def transfer_record(
    *,
    followup: TransferFollowUp,
    by: User,
    status: str,
    employee_note: str = "",
    manager_note: str = "",
    on: datetime.date,
) -> TransferFollowUp:
    """Record how the course is applied at work. Rules: a known status; an outcome other than
    "open" needs a note of the employee or the manager. Raises on "status", "manager_note"."""
    followup = (
        TransferFollowUp.objects.select_for_update(of=("self",))
        .select_related("participation__employee__unit")
        .get(pk=followup.pk)
    )
    _require(by, "registration.follow_transfer", followup)
    if status not in TransferStatus.values:
        raise field_error("status", ERRORS["transfer_status"], code="status")
    employee_note = _text(employee_note, "employee_note", 3000)
    manager_note = _text(manager_note, "manager_note", 3000)
    if status != TransferStatus.OPEN and not (employee_note or manager_note):
        raise field_error("manager_note", ERRORS["transfer_note"], code="note")
    fields = ["status", "employee_note", "manager_note"]
    before = audit.snapshot(followup, fields)
    followup.status = status
    followup.employee_note, followup.manager_note = employee_note, manager_note
    followup.recorded_by, followup.recorded_on = by, on
    followup.save(update_fields=[*fields, "recorded_by", "recorded_on"])
    old, new = audit.changed(before, audit.snapshot(followup, fields))
    audit.record(
        actor=by, action="registration.transfer_recorded", obj=followup, before=old, after=new
    )
    return followup
