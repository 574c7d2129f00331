"""Writes of the drafts area: informal learning made visible (REG-08) and the quick log (REG-11).

The brochure's point: learning "wordt nog te vaak gelijkgesteld met het volgen van een klassieke
opleiding" (L225). Workplace learning that the app already records becomes a *draft* informal
registration with its hours; HR confirms or rejects the drafts in bulk, and only confirmed
activities count in the social balance.

How each source becomes a draft (one `Activity`, category informal, status draft, with one
completed `Participation` of the learner), keyed by `source_key` so that running twice creates
nothing new (the unique constraint on organisation and source key backs this up):

- **A confirmed module sign-off** (`signoff:<id>`, source module, on-the-job training). Hours: the
  module's planned duration in working hours, a shift or a day being `HOURS_PER_DAY` (7.6), a week
  five days and a month 260/12 days. TWI teaching sessions record a day but no length, so they
  cannot give hours; the module's planned duration is the rule. Dates: from the day the module
  started (its plan's actual start), at the latest the module's calendar length (a week seven
  days, a month thirty) before the confirmation, to the day of the confirmation.
- **A completed programme** (`programme:<assignment id>`, source programme). The module is the
  unit of counting, so that nothing counts twice: a programme completed before its modules were
  drafted gets one summary draft carrying those modules' hours, and its sign-offs get no draft of
  their own; modules already drafted are left out of the summary, and when nothing is left the
  programme gets no draft. Once a programme has its summary, later sign-offs of that assignment
  (after a revocation) add nothing. Dates: the programme's start and completion.
- **An ended peter/meter period or coaching engagement** (`guidance:<id>`, source guidance,
  coaching): the learner's guidance from a primary guide (a backup's overlapping period is not
  counted again) whose end date has passed. Hours: `DRAFT_GUIDANCE_HOURS_PER_WEEK` (default 1) for
  every week begun. Dates: the guidance's start and end.
- **A passed test** (`attempt:<id>`, source test, on-the-job training; practice never counts). A
  test records no duration, and the module it tests already carries the module's hours, so the
  hours are `DRAFT_TEST_HOURS` (default 1: preparing and taking it). Date: the submission.
- **An issued certificate** (`certificate:<id>`, source certificate, acquiring know-how) that no
  test attempt issued (an attempt's attest is the attempt's draft) and that is not revoked.
  Hours: `DRAFT_CERTIFICATE_HOURS` (default 1). Date: the issue date.

HR sees the rule in each draft's description and corrects the hours per row before confirming.
`drafts_generate` reads every source in one query and writes with `bulk_create` in batches of
`DRAFT_BATCH_SIZE` (default 2000): its query count does not depend on the data until a batch is
full (docs/registration-drafts.md).
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from leerplek.core import audit
from leerplek.core.errors import field_error
from leerplek.core.rules import access_of
from leerplek.onboarding.models import GUIDANCE_FORMS, Guidance, GuidanceStatus
from leerplek.people.models import Employee, Organisation, User
from leerplek.registration.models import (
    QUICK_LOG_KINDS,
    QUICK_LOG_MAX_MINUTES,
    Activity,
    ActivityStatus,
    Category,
    FinancialYear,
    InformalKind,
    OrganiserKind,
    Participation,
    ParticipationStatus,
    Place,
    QuickLog,
    QuickLogHow,
    QuickLogStatus,
    Source,
    YearStatus,
)
from leerplek.training.models import (
    AssignmentStatus,
    Attempt,
    Certificate,
    CertificateKind,
    DurationUnit,
    Module,
    ModulePlan,
    ProgrammeAssignment,
    Signoff,
)

TWO = Decimal("0.01")
CONFIRM_DRAFTS = "registration.confirm_drafts"
LOG_OWN = "registration.log_own"
CONFIRM_LOGS = "registration.confirm_logs"

# The sources drafting writes; the review page lists their drafts.
DRAFT_SOURCES: tuple[str, ...] = (
    Source.MODULE,
    Source.PROGRAMME,
    Source.GUIDANCE,
    Source.TEST,
    Source.CERTIFICATE,
)
# Informal learning made visible from the workplace: the drafts, the quick log and (later) CoP,
# network and intervision time.
WORKPLACE_SOURCES: tuple[str, ...] = (*DRAFT_SOURCES, Source.QUICK_LOG, Source.COMMUNITY)

KIND_OF_SOURCE: dict[str, str] = {
    Source.MODULE: InformalKind.ON_THE_JOB,
    Source.PROGRAMME: InformalKind.ON_THE_JOB,
    Source.GUIDANCE: InformalKind.COACHING,
    Source.TEST: InformalKind.ON_THE_JOB,
    Source.CERTIFICATE: InformalKind.KNOW_HOW,
}

# Working days in one unit of a module's planned duration, and calendar days it spans.
WORKING_DAYS: dict[str, Decimal] = {
    DurationUnit.SHIFTS: Decimal(1),
    DurationUnit.DAYS: Decimal(1),
    DurationUnit.WEEKS: Decimal(5),
    DurationUnit.MONTHS: Decimal(260) / Decimal(12),
}
CALENDAR_DAYS: dict[str, int] = {
    DurationUnit.SHIFTS: 1,
    DurationUnit.DAYS: 1,
    DurationUnit.WEEKS: 7,
    DurationUnit.MONTHS: 30,
}
# Nobody works more than this many hours on one day: the ceiling of an edited draft's hours.
MAX_HOURS_PER_DAY = 24

ERRORS = {
    "no_selection": gettext_lazy("Select at least one row first."),
    "bad_decision": gettext_lazy("Choose confirm or reject."),
    "gone": gettext_lazy(
        "Some selected rows (%(count)s) were decided by someone else meanwhile or do not exist; "
        "reload the page and select again."
    ),
    "closed_year": gettext_lazy(
        "“%(title)s” lies in a financial year that is closed for the social balance; HR reopens "
        "the year, with a reason, before it changes."
    ),
    "hours_number": gettext_lazy(
        "Hours of %(title)s (%(person)s): enter a number with at most two decimals, e.g. 7.5."
    ),
    "hours_positive": gettext_lazy(
        "Hours of %(title)s (%(person)s): enter more than zero hours, or reject the draft."
    ),
    "hours_one_day": gettext_lazy("Hours of %(title)s (%(person)s): at most 24 on its one day."),
    "hours_per_day": gettext_lazy(
        "Hours of %(title)s (%(person)s): at most 24 per day, so at most %(limit)s over its "
        "%(days)s days."
    ),
    "how": gettext_lazy("Choose how you learned."),
    "topic": gettext_lazy("Write in a few words what you learned."),
    "topic_long": gettext_lazy("Keep the topic under 200 characters."),
    "minutes": gettext_lazy("Enter the minutes as a whole number from 1 to 480 (eight hours)."),
    "future": gettext_lazy("The day cannot be in the future."),
    "before_hire": gettext_lazy("The day lies before your first working day here."),
    "log_closed_year": gettext_lazy(
        "This day lies in a financial year that is closed for the social balance."
    ),
    "own_log": gettext_lazy(
        "You cannot confirm or reject your own log; another manager or HR decides on it."
    ),
}


@dataclass(frozen=True)
class DraftRules:
    """The settings drafting reads, in one place (docs/registration-drafts.md)."""

    hours_per_day: Decimal
    guidance_hours_per_week: Decimal
    test_hours: Decimal
    certificate_hours: Decimal
    batch_size: int


def draft_rules() -> DraftRules:
    """The drafting rules from `settings.LEERPLEK`, each with its documented default."""
    conf = settings.LEERPLEK
    return DraftRules(
        hours_per_day=Decimal(str(conf.get("HOURS_PER_DAY", "7.6"))),
        guidance_hours_per_week=Decimal(str(conf.get("DRAFT_GUIDANCE_HOURS_PER_WEEK", 1))),
        test_hours=Decimal(str(conf.get("DRAFT_TEST_HOURS", 1))),
        certificate_hours=Decimal(str(conf.get("DRAFT_CERTIFICATE_HOURS", 1))),
        batch_size=int(conf.get("DRAFT_BATCH_SIZE", 2000)),
    )


def module_hours(duration: int, unit: str, rules: DraftRules) -> Decimal:
    """A module's planned duration in working hours (two decimals)."""
    days = Decimal(max(duration, 1)) * WORKING_DAYS.get(unit, Decimal(1))
    return (days * rules.hours_per_day).quantize(TWO)


def module_span_days(duration: int, unit: str) -> int:
    return max(duration, 1) * CALENDAR_DAYS.get(unit, 1)


def guidance_hours(starts_on: datetime.date, ends_on: datetime.date, rules: DraftRules) -> Decimal:
    """Guidance hours: the weekly default for every week begun."""
    weeks = math.ceil(((ends_on - starts_on).days + 1) / 7)
    return (Decimal(weeks) * rules.guidance_hours_per_week).quantize(TWO)


@dataclass
class Draft:
    key: str
    source: str
    title: str
    description: str
    employee_id: int
    start: datetime.date
    end: datetime.date
    hours: Decimal


def _local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()


def _since_moment(since: datetime.date | None) -> datetime.datetime | None:
    if since is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))


def _unit_label(unit: str) -> str:
    return str(DurationUnit(unit).label) if unit in DurationUnit.values else unit


def _module_and_programme_drafts(
    organisation: Organisation,
    since: datetime.date | None,
    existing: set[str],
    rules: DraftRules,
) -> list[Draft]:
    """Drafts of confirmed sign-offs (programmes in progress or stopped) and of completed
    programmes (the modules without a draft of their own). Four queries."""
    signoffs = Signoff.objects.confirmed().filter(organisation=organisation)
    moment = _since_moment(since)
    if moment is not None:
        signoffs = signoffs.filter(confirmed_at__gte=moment)
    started = ModulePlan.objects.filter(
        assignment_id=OuterRef("assignment_id"), module_id=OuterRef("module_id")
    ).values("actual_start")[:1]
    drafts: list[Draft] = []
    for row in (
        signoffs.exclude(assignment__status=AssignmentStatus.COMPLETED)
        .annotate(started_on=Subquery(started))
        .values(
            "pk",
            "confirmed_at",
            "started_on",
            "assignment_id",
            "assignment__employee_id",
            "module__title",
            "module__duration",
            "module__duration_unit",
            "assignment__version__programme__title",
        )
        .order_by("pk")
        .iterator(chunk_size=5000)
    ):
        key = f"signoff:{row['pk']}"
        if key in existing or f"programme:{row['assignment_id']}" in existing:
            continue
        duration, unit = row["module__duration"], row["module__duration_unit"]
        end = _local_day(row["confirmed_at"])
        earliest = end - datetime.timedelta(days=module_span_days(duration, unit) - 1)
        start = min(row["started_on"] or end, earliest)
        drafts.append(
            Draft(
                key=key,
                source=Source.MODULE,
                title=_("Module “%(module)s” of %(programme)s")
                % {
                    "module": row["module__title"],
                    "programme": row["assignment__version__programme__title"],
                },
                description=_(
                    "Drafted from the confirmed sign-off. Hours: the module's planned duration "
                    "(%(duration)s %(unit)s) in working hours."
                )
                % {"duration": duration, "unit": _unit_label(unit)},
                employee_id=row["assignment__employee_id"],
                start=start,
                end=end,
                hours=module_hours(duration, unit, rules),
            )
        )

    completed = ProgrammeAssignment.objects.filter(
        organisation=organisation, status=AssignmentStatus.COMPLETED
    )
    if since is not None:
        completed = completed.filter(completed_on__gte=since)
    assignments = [
        item
        for item in completed.values(
            "pk",
            "employee_id",
            "version_id",
            "started_on",
            "completed_on",
            "version__programme__title",
        ).order_by("pk")
        if f"programme:{item['pk']}" not in existing
    ]
    if not assignments:
        return drafts
    # (module id, hours) per programme version.
    modules: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for module_id, version_id, duration, unit in Module.objects.filter(
        version_id__in={item["version_id"] for item in assignments}
    ).values_list("pk", "version_id", "duration", "duration_unit"):
        modules[version_id].append((module_id, module_hours(duration, unit, rules)))
    # Which module of which completed programme already has a draft of its own.
    own_draft: set[tuple[int, int]] = set()
    for assignment_id, module_id, signoff_id in (
        Signoff.objects.confirmed()
        .filter(assignment__in=completed)
        .values_list("assignment_id", "module_id", "pk")
        .iterator(chunk_size=5000)
    ):
        if f"signoff:{signoff_id}" in existing:
            own_draft.add((assignment_id, module_id))
    for item in assignments:
        left = [
            hours
            for module_id, hours in modules[item["version_id"]]
            if (item["pk"], module_id) not in own_draft
        ]
        total = sum(left, Decimal(0))
        completed_on = item["completed_on"]
        if not left or total <= 0 or completed_on is None:
            continue
        drafts.append(
            Draft(
                key=f"programme:{item['pk']}",
                source=Source.PROGRAMME,
                title=_("Programme “%(programme)s” completed")
                % {"programme": item["version__programme__title"]},
                description=ngettext(
                    "Drafted from the completed programme. Hours: the planned duration of its "
                    "%(count)s module without a draft of its own.",
                    "Drafted from the completed programme. Hours: the planned duration of its "
                    "%(count)s modules without a draft of their own.",
                    len(left),
                )
                % {"count": len(left)},
                employee_id=item["employee_id"],
                start=min(item["started_on"], completed_on),
                end=completed_on,
                hours=total,
            )
        )
    return drafts


def _guidance_drafts(
    organisation: Organisation,
    since: datetime.date | None,
    existing: set[str],
    rules: DraftRules,
    today: datetime.date,
) -> list[Draft]:
    """Drafts of ended peter/meter periods and coaching engagements. One query."""
    rows = (
        Guidance.objects.filter(
            organisation=organisation, is_backup=False, ends_on__isnull=False, ends_on__lte=today
        )
        .exclude(status__in=[GuidanceStatus.REQUESTED, GuidanceStatus.DECLINED])
        .values(
            "pk",
            "kind",
            "learner_id",
            "guide__first_name",
            "guide__last_name",
            "starts_on",
            "ends_on",
        )
        .order_by("pk")
    )
    if since is not None:
        rows = rows.filter(ends_on__gte=since)
    drafts = []
    for row in rows:
        key = f"guidance:{row['pk']}"
        if key in existing:
            continue
        start, end = row["starts_on"], row["ends_on"]
        if end is None:  # excluded by the query; keeps the type checker sure
            continue
        drafts.append(
            Draft(
                key=key,
                source=Source.GUIDANCE,
                title=_("%(form)s with %(guide)s")
                % {
                    "form": GUIDANCE_FORMS.get(row["kind"], row["kind"]),
                    "guide": f"{row['guide__first_name']} {row['guide__last_name']}".strip(),
                },
                description=_(
                    "Drafted from the ended guidance. Hours: %(per_week)s per week begun."
                )
                % {"per_week": rules.guidance_hours_per_week},
                employee_id=row["learner_id"],
                start=start,
                end=end,
                hours=guidance_hours(start, end, rules),
            )
        )
    return drafts


def _test_drafts(
    organisation: Organisation,
    since: datetime.date | None,
    existing: set[str],
    rules: DraftRules,
) -> list[Draft]:
    """Drafts of passed tests (never practice). One query."""
    rows = Attempt.objects.filter(
        organisation=organisation, passed=True, is_practice=False, submitted_at__isnull=False
    )
    moment = _since_moment(since)
    if moment is not None:
        rows = rows.filter(submitted_at__gte=moment)
    drafts = []
    for row in rows.values("pk", "employee_id", "submitted_at", "test__title").order_by("pk"):
        key = f"attempt:{row['pk']}"
        if key in existing:
            continue
        submitted = row["submitted_at"]
        if submitted is None:  # excluded by the query
            continue
        day = _local_day(submitted)
        drafts.append(
            Draft(
                key=key,
                source=Source.TEST,
                title=_("Test “%(test)s” passed") % {"test": row["test__title"]},
                description=_("Drafted from the passed test. Hours: the default for a test.")
                if rules.test_hours
                else "",
                employee_id=row["employee_id"],
                start=day,
                end=day,
                hours=rules.test_hours.quantize(TWO),
            )
        )
    return drafts


def _certificate_drafts(
    organisation: Organisation,
    since: datetime.date | None,
    existing: set[str],
    rules: DraftRules,
) -> list[Draft]:
    """Drafts of certificates no test attempt issued (not revoked). One query."""
    rows = Certificate.objects.filter(
        organisation=organisation, revoked_at__isnull=True, attempt__isnull=True
    )
    if since is not None:
        rows = rows.filter(issued_on__gte=since)
    drafts = []
    for row in rows.values("pk", "employee_id", "kind", "title", "issued_on").order_by("pk"):
        key = f"certificate:{row['pk']}"
        if key in existing:
            continue
        kind = CertificateKind(row["kind"]).label if row["kind"] in CertificateKind.values else ""
        drafts.append(
            Draft(
                key=key,
                source=Source.CERTIFICATE,
                title=_("%(kind)s “%(title)s”") % {"kind": kind, "title": row["title"]},
                description=_(
                    "Drafted from the certificate register. Hours: the default for a certificate."
                ),
                employee_id=row["employee_id"],
                start=row["issued_on"],
                end=row["issued_on"],
                hours=rules.certificate_hours.quantize(TWO),
            )
        )
    return drafts


def _existing_keys(organisation: Organisation) -> set[str]:
    return set(
        Activity.objects.filter(organisation=organisation, source__in=DRAFT_SOURCES)
        .exclude(source_key="")
        .values_list("source_key", flat=True)
    )


def _write_drafts(
    organisation: Organisation, drafts: Sequence[Draft], by: User | None, batch_size: int
) -> None:
    activities = Activity.objects.bulk_create(
        [
            Activity(
                organisation=organisation,
                title=draft.title[:200],
                description=draft.description,
                category=Category.INFORMAL,
                informal_kind=KIND_OF_SOURCE[draft.source],
                organiser_kind=OrganiserKind.INTERNAL,
                start_date=draft.start,
                end_date=draft.end,
                duration_hours=draft.hours,
                place=Place.WORKPLACE,
                status=ActivityStatus.DRAFT,
                source=draft.source,
                source_key=draft.key,
                created_by=by,
            )
            for draft in drafts
        ],
        batch_size=batch_size,
    )
    Participation.objects.bulk_create(
        [
            Participation(
                activity_id=activity.pk,
                employee_id=draft.employee_id,
                hours=draft.hours,
                status=ParticipationStatus.COMPLETED,
            )
            for activity, draft in zip(activities, drafts, strict=True)
        ],
        batch_size=batch_size,
    )


@transaction.atomic
def drafts_generate(
    *,
    organisation: Organisation,
    since: datetime.date | None = None,
    by: User | None = None,
    today: datetime.date | None = None,
) -> dict[str, int]:
    """Create the draft informal registrations of `organisation`'s workplace learning that has
    none yet (the rules in the module docstring); `since` limits the sources to those dated from
    that day. Returns the number of new drafts per source. Idempotent: a second run creates
    nothing. Safe to run from cron: the organisation row is locked, so two runs queue.

    Reads each source in one query and writes in batches (`DRAFT_BATCH_SIZE`).
    """
    rules = draft_rules()
    today = today or timezone.localdate()
    # Two runs at once (cron and a button) queue behind this lock instead of colliding on the
    # unique source key.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).values_list("pk").first()
    existing = _existing_keys(organisation)
    drafts = [
        *_module_and_programme_drafts(organisation, since, existing, rules),
        *_guidance_drafts(organisation, since, existing, rules, today),
        *_test_drafts(organisation, since, existing, rules),
        *_certificate_drafts(organisation, since, existing, rules),
    ]
    counts = dict.fromkeys(DRAFT_SOURCES, 0)
    for draft in drafts:
        counts[draft.source] += 1
    if drafts:
        _write_drafts(organisation, drafts, by, rules.batch_size)
        audit.record(
            actor=by,
            action="registration.drafts_generated",
            organisation=organisation,
            after={"since": since, "counts": counts},
        )
    return counts


# --- Confirming and rejecting drafts ---------------------------------------------------------


@dataclass(frozen=True)
class Decided:
    """What a bulk decision did: how many rows, and the hours they now carry."""

    count: int
    hours: Decimal


def _decision(value: str) -> str:
    if value not in ("confirm", "reject"):
        raise field_error("decision", ERRORS["bad_decision"], code="bad_decision")
    return value


def _ids(ids: Iterable[Any]) -> list[int]:
    try:
        chosen = sorted({int(value) for value in ids})
    except (TypeError, ValueError):
        raise field_error("selected", ERRORS["no_selection"], code="no_selection") from None
    if not chosen:
        raise field_error("selected", ERRORS["no_selection"], code="no_selection")
    return chosen


def _closed_years(organisation: Organisation) -> list[tuple[datetime.date, datetime.date]]:
    return list(
        FinancialYear.objects.filter(organisation=organisation, status=YearStatus.CLOSED)
        .values_list("start_date", "end_date")
        .order_by("start_date")
    )


def _in_closed_year(day: datetime.date, closed: list[tuple[datetime.date, datetime.date]]) -> bool:
    return any(start <= day <= end for start, end in closed)


def hours_field(activity_id: int | str) -> str:
    """The name of the hours input (and error key) of one draft row."""
    return f"hours_{activity_id}"


def _edited_hours(activity: Activity, person: str, value: Any) -> Decimal:
    """The hours HR typed for a draft row, or a ValidationError naming the row's field."""
    field = hours_field(activity.pk)
    params = {"title": activity.title, "person": person}
    if isinstance(value, float):
        value = repr(value)
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise field_error(
            field, ERRORS["hours_number"], code="hours_number", params=params
        ) from None
    if not number.is_finite() or number != number.quantize(TWO):
        raise field_error(field, ERRORS["hours_number"], code="hours_number", params=params)
    if number <= 0:
        raise field_error(field, ERRORS["hours_positive"], code="hours_positive", params=params)
    days = (activity.end_date - activity.start_date).days + 1
    limit = Decimal(MAX_HOURS_PER_DAY * days).quantize(TWO)
    if number > limit:
        code = "hours_one_day" if days == 1 else "hours_per_day"
        raise field_error(
            field, ERRORS[code], code=code, params={**params, "limit": limit, "days": days}
        )
    return number.quantize(TWO)


@transaction.atomic
def drafts_decide(
    *,
    organisation: Organisation,
    ids: Iterable[Any],
    decision: str,
    by: User,
    hours: Mapping[Any, Any] | None = None,
) -> Decided:
    """HR confirms or rejects the selected drafts of `organisation` in one go; on confirming,
    `hours` ({draft id: hours}) corrects the hours of those rows first.

    Rules: HR's permission; at least one row; every row still a draft of this organisation (else
    nothing is written); no row in a closed financial year; edited hours a number above zero with
    two decimals, at most 24 per day of the activity. Every refusal is a ValidationError keyed by
    its field ("selected", "decision", "hours_<id>"), all rows' hour errors together.
    Confirmed rows get status confirmed with `confirmed_by`/`confirmed_at`; rejected rows stay
    (status rejected), so drafting never makes them again. One audit entry for the batch.
    """
    if not by.has_perm(CONFIRM_DRAFTS):
        raise PermissionDenied
    decision = _decision(decision)
    chosen = _ids(ids)
    drafts = list(
        Activity.objects.select_for_update()
        .filter(
            organisation=organisation,
            pk__in=chosen,
            status=ActivityStatus.DRAFT,
            source__in=DRAFT_SOURCES,
        )
        .prefetch_related(
            Prefetch("participations", queryset=Participation.objects.select_related("employee"))
        )
        .order_by("pk")
    )
    if len(drafts) != len(chosen):
        raise field_error(
            "selected", ERRORS["gone"], code="gone", params={"count": len(chosen) - len(drafts)}
        )
    closed = _closed_years(organisation)
    for draft in drafts:
        if _in_closed_year(draft.end_date, closed):
            raise field_error(
                "selected", ERRORS["closed_year"], code="closed_year", params={"title": draft.title}
            )
    edits = {str(key): value for key, value in (hours or {}).items()}
    before: dict[str, str] = {}
    after: dict[str, str] = {}
    changed: list[Participation] = []
    problems: dict[str, list[ValidationError]] = {}
    total = Decimal(0)
    for draft in drafts:
        participations = list(draft.participations.all())
        person = ", ".join(str(p.employee) for p in participations)
        if decision == "confirm" and str(draft.pk) in edits and edits[str(draft.pk)] != "":
            try:
                new = _edited_hours(draft, person, edits[str(draft.pk)])
            except ValidationError as error:
                for field, messages in error.error_dict.items():
                    problems.setdefault(field, []).extend(messages)
                continue
            for participation in participations:
                if participation.hours != new:
                    before[str(draft.pk)] = str(participation.hours)
                    after[str(draft.pk)] = str(new)
                    participation.hours = new
                    changed.append(participation)
            # A draft has one participant: its duration follows the corrected hours.
            draft.duration_hours = new
        total += sum((p.hours for p in participations), Decimal(0))
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    if changed:
        Participation.objects.bulk_update(changed, ["hours"])
        Activity.objects.bulk_update(drafts, ["duration_hours"])
    if decision == "confirm":
        Activity.objects.filter(pk__in=chosen).update(
            status=ActivityStatus.CONFIRMED, confirmed_by=by, confirmed_at=now, updated_at=now
        )
    else:
        Activity.objects.filter(pk__in=chosen).update(
            status=ActivityStatus.REJECTED, updated_at=now
        )
    audit.record(
        actor=by,
        action=f"registration.drafts_{'confirmed' if decision == 'confirm' else 'rejected'}",
        organisation=organisation,
        before={"status": ActivityStatus.DRAFT, "hours": before},
        after={"ids": chosen, "hours": after, "total_hours": total},
    )
    return Decided(count=len(drafts), hours=total.quantize(TWO))


# --- The quick log (REG-11) ------------------------------------------------------------------


def _minutes(value: Any) -> int:
    try:
        minutes = int(str(value).strip())
    except (TypeError, ValueError):
        raise field_error("minutes", ERRORS["minutes"], code="minutes") from None
    if not 1 <= minutes <= QUICK_LOG_MAX_MINUTES:
        raise field_error("minutes", ERRORS["minutes"], code="minutes")
    return minutes


@transaction.atomic
def quick_log_create(
    *,
    employee: Employee,
    by: User,
    how: str,
    topic: str,
    minutes: Any,
    date: datetime.date | None = None,
) -> QuickLog:
    """A worker logs a piece of informal learning of his own (default: today).

    Rules: only for one's own record; `how` one of the ways; a topic of 1 to 200 characters;
    1 to 480 minutes; the day not in the future, not before the hire date, not in a closed
    financial year. Raises ValidationError on "how", "topic", "minutes" or "date".
    """
    if not by.has_perm(LOG_OWN, employee) or access_of(by).employee_id != employee.pk:
        raise PermissionDenied
    if how not in QuickLogHow.values:
        raise field_error("how", ERRORS["how"], code="how")
    topic = (topic or "").strip()
    if not topic:
        raise field_error("topic", ERRORS["topic"], code="topic")
    if len(topic) > 200:
        raise field_error("topic", ERRORS["topic_long"], code="topic_long")
    count = _minutes(minutes)
    today = timezone.localdate()
    day = date or today
    if day > today:
        raise field_error("date", ERRORS["future"], code="future")
    if employee.hire_date and day < employee.hire_date:
        raise field_error("date", ERRORS["before_hire"], code="before_hire")
    if _in_closed_year(day, _closed_years(employee.organisation)):
        raise field_error("date", ERRORS["log_closed_year"], code="log_closed_year")
    log = QuickLog.objects.create(
        organisation_id=employee.organisation_id,
        employee=employee,
        date=day,
        how=how,
        topic=topic,
        minutes=count,
        created_by=by,
    )
    audit.record(
        actor=by,
        action="registration.quick_log_added",
        obj=log,
        after={"date": day, "how": how, "minutes": count},
    )
    return log


@transaction.atomic
def quick_logs_decide(
    *, organisation: Organisation, ids: Iterable[Any], decision: str, by: User
) -> Decided:
    """The line manager (or HR) confirms or rejects the selected pending logs in one go.

    Rules: the permission on every log's person (his units); never his own log; every row still
    pending in this organisation; none in a closed financial year. A confirmed log becomes a
    confirmed informal activity (kind from `QUICK_LOG_KINDS`, source quick log, key
    "quicklog:<id>") with one completed participation of minutes/60 hours. ValidationError on
    "selected" or "decision"; nothing is written on a refusal. One audit entry for the batch.
    """
    if not by.has_perm(CONFIRM_LOGS):
        raise PermissionDenied
    decision = _decision(decision)
    chosen = _ids(ids)
    logs = list(
        QuickLog.objects.select_for_update(of=("self",))
        .filter(organisation=organisation, pk__in=chosen, status=QuickLogStatus.PENDING)
        .select_related("employee", "employee__unit")
        .order_by("pk")
    )
    if len(logs) != len(chosen):
        raise field_error(
            "selected", ERRORS["gone"], code="gone", params={"count": len(chosen) - len(logs)}
        )
    own = access_of(by).employee_id
    for log in logs:
        if log.employee_id == own:
            raise field_error("selected", ERRORS["own_log"], code="own_log")
        if not by.has_perm(CONFIRM_LOGS, log.employee):
            raise PermissionDenied
    closed = _closed_years(organisation)
    for log in logs:
        if _in_closed_year(log.date, closed):
            raise field_error(
                "selected", ERRORS["closed_year"], code="closed_year", params={"title": log.topic}
            )
    now = timezone.now()
    total = sum((Decimal(log.minutes) / 60 for log in logs), Decimal(0)).quantize(TWO)
    if decision == "confirm":
        activities = Activity.objects.bulk_create(
            [
                Activity(
                    organisation=organisation,
                    title=log.topic[:200],
                    description=str(QuickLogHow(log.how).label),
                    category=Category.INFORMAL,
                    informal_kind=QUICK_LOG_KINDS[log.how],
                    organiser_kind=OrganiserKind.INTERNAL,
                    start_date=log.date,
                    end_date=log.date,
                    duration_hours=(Decimal(log.minutes) / 60).quantize(TWO),
                    place=Place.WORKPLACE,
                    status=ActivityStatus.CONFIRMED,
                    source=Source.QUICK_LOG,
                    source_key=f"quicklog:{log.pk}",
                    created_by=log.created_by,
                    confirmed_by=by,
                    confirmed_at=now,
                )
                for log in logs
            ]
        )
        Participation.objects.bulk_create(
            [
                Participation(
                    activity_id=activity.pk,
                    employee_id=log.employee_id,
                    hours=(Decimal(log.minutes) / 60).quantize(TWO),
                    status=ParticipationStatus.COMPLETED,
                )
                for activity, log in zip(activities, logs, strict=True)
            ]
        )
        for activity, log in zip(activities, logs, strict=True):
            log.activity = activity
    for log in logs:
        log.status = QuickLogStatus.CONFIRMED if decision == "confirm" else QuickLogStatus.REJECTED
        log.decided_by = by
        log.decided_at = now
    QuickLog.objects.bulk_update(logs, ["status", "decided_by", "decided_at", "activity"])
    audit.record(
        actor=by,
        action=f"registration.quick_logs_{'confirmed' if decision == 'confirm' else 'rejected'}",
        organisation=organisation,
        before={"status": QuickLogStatus.PENDING},
        after={"ids": chosen, "hours": total},
    )
    return Decided(count=len(logs), hours=total)
