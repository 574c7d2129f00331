"""Reads for onboarding pages, each in a fixed number of queries whatever the data size."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from leerplek.competences.models import Assessment, Competence, Level, Requirement
from leerplek.core.access import Access
from leerplek.core.permissions import PERMISSIONS
from leerplek.onboarding.models import (
    ConsultationApproval,
    Guidance,
    GuidanceKind,
    Onboarding,
    OnboardingStatus,
    OnboardingTask,
    OnboardingTemplate,
    Section,
)
from leerplek.people.models import Employee, Organisation

VIEW_ROLES = PERMISSIONS["onboarding.view_onboarding"].roles


# --- Competence check ----------------------------------------------------------------------------


@dataclass
class CompetenceGap:
    competence: Competence
    required: Level
    actual_code: str = ""  # "" when never officially assessed


def competence_gaps_of(*, employee: Employee) -> list[CompetenceGap]:
    """The active competences his function or workstation requires that his latest official
    level does not reach (two queries). When both require one, the higher level counts."""
    reach = Q(pk__in=[])
    if employee.job_id:
        reach |= Q(job_id=employee.job_id)
    if employee.workstation_id:
        reach |= Q(workstation_id=employee.workstation_id)
    wanted: dict[int, Requirement] = {}
    for requirement in (
        Requirement.objects.filter(reach, organisation_id=employee.organisation_id)
        .filter(competence__is_active=True)
        .select_related("competence", "level")
    ):
        current = wanted.get(requirement.competence_id)
        if current is None or requirement.level.rank > current.level.rank:
            wanted[requirement.competence_id] = requirement
    if not wanted:
        return []
    latest: dict[int, tuple[int, str]] = {}
    for competence_id, rank, code in (
        Assessment.objects.filter(employee=employee, competence_id__in=wanted, is_self=False)
        .order_by("competence_id", "-assessed_on", "-created_at", "-id")
        .values_list("competence_id", "level__rank", "level__code")
    ):
        latest.setdefault(competence_id, (rank, code))
    gaps = []
    for competence_id, requirement in wanted.items():
        found = latest.get(competence_id)
        if found is not None and found[0] >= requirement.level.rank:
            continue
        gaps.append(
            CompetenceGap(
                competence=requirement.competence,
                required=requirement.level,
                actual_code=found[1] if found else "",
            )
        )
    return sorted(gaps, key=lambda gap: gap.competence.code)


# --- Templates -----------------------------------------------------------------------------------


def template_list(*, organisation: Organisation) -> QuerySet[OnboardingTemplate]:
    """Templates with their task count, the company-wide one first (one query)."""
    return (
        OnboardingTemplate.objects.filter(organisation=organisation)
        .select_related("job")
        .annotate(task_count=Count("tasks"))
        .order_by("-is_active", "job__name", "name", "id")
    )


@dataclass
class SectionTasks:
    section: str
    label: str
    tasks: list = field(default_factory=list)


def template_sections(*, template: OnboardingTemplate) -> list[SectionTasks]:
    """The template's tasks per section, in the brochure's order (one query)."""
    groups = {value: SectionTasks(value, str(label)) for value, label in Section.choices}
    for task in template.tasks.all():
        groups[task.section].tasks.append(task)
    return list(groups.values())


def approval_list(*, organisation: Organisation) -> QuerySet[ConsultationApproval]:
    return ConsultationApproval.objects.filter(organisation=organisation).select_related(
        "recorded_by"
    )


# --- Onboardings ---------------------------------------------------------------------------------


def _current_primary(on: datetime.date) -> Exists:
    return Exists(
        Guidance.objects.current(on).filter(
            learner_id=OuterRef("employee_id"), kind=GuidanceKind.MENTOR, is_backup=False
        )
    )


def _task_count(**conditions: object) -> Coalesce:
    """The number of the onboarding's tasks meeting `conditions`, as a correlated subquery."""
    tasks = (
        OnboardingTask.objects.filter(onboarding_id=OuterRef("pk"), **conditions)
        .order_by()
        .values("onboarding_id")
        .annotate(n=Count("id"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(tasks, output_field=IntegerField()), 0)


def onboardings_visible_to(access: Access) -> Q:
    """A filter mirroring `onboarding.view_onboarding`: the viewing roles within their units,
    plus the people the user guides."""
    scope = access.employee_scope_q(VIEW_ROLES, prefix="employee__")
    if not access.has_role(*VIEW_ROLES):
        scope = Q(pk__in=[])
    mentees = access.mentee_ids()
    if mentees:
        scope |= Q(organisation_id=access.organisation_id, employee_id__in=mentees)
    return scope


def onboarding_list(
    *,
    access: Access,
    status: str = OnboardingStatus.ACTIVE,
    unit_path: str = "",
    without_guide: bool = False,
    query: str = "",
) -> QuerySet[Onboarding]:
    """Onboardings the viewer may open, newest start first, with task progress and whether the
    newcomer has a peter/meter (one query per page, plus the mentee ids once per request)."""
    today = timezone.localdate()
    rows = Onboarding.objects.filter(onboardings_visible_to(access))
    if status:
        rows = rows.filter(status=status)
    if unit_path:
        rows = rows.filter(employee__unit__path__startswith=unit_path)
    if query:
        rows = rows.filter(
            Q(employee__first_name__icontains=query) | Q(employee__last_name__icontains=query)
        )
    # Counted per row by subqueries, not by joining the tasks: only the page's rows pay, and the
    # paginator's count leaves them out (3 to 4 times faster on 2,000 onboardings).
    rows = rows.annotate(
        has_guide=_current_primary(today),
        task_count=_task_count(),
        done_count=_task_count(done_on__isnull=False),
        overdue_count=_task_count(done_on__isnull=True, due_on__lt=today),
    )
    if without_guide:
        rows = rows.filter(has_guide=False)
    return rows.select_related("employee", "employee__unit", "job").order_by(
        "-start_date", "employee__last_name", "id"
    )


@dataclass
class TaskGroup:
    key: str
    label: str
    tasks: list[OnboardingTask] = field(default_factory=list)


@dataclass
class OnboardingView:
    onboarding: Onboarding
    tasks: list[OnboardingTask]
    guide: Guidance | None
    backups: list[Guidance]
    other_guides: list[Guidance]
    today: datetime.date

    @property
    def done_count(self) -> int:
        return sum(1 for task in self.tasks if task.done_on is not None)

    @property
    def percent_done(self) -> int:
        return round(100 * self.done_count / len(self.tasks)) if self.tasks else 0

    @property
    def week_number(self) -> int:
        """The current week of the onboarding, 1 on the first day; 0 before it."""
        days = (self.today - self.onboarding.start_date).days
        return days // 7 + 1 if days >= 0 else 0

    def week_of(self, day: datetime.date) -> int:
        days = (day - self.onboarding.start_date).days
        return days // 7 + 1 if days >= 0 else 0

    @property
    def blocked(self) -> bool:
        """Work-floor tasks wait for a peter/meter (Codex art. I.2-11)."""
        return self.guide is None

    def by_section(self) -> list[TaskGroup]:
        groups = {value: TaskGroup(value, str(label)) for value, label in Section.choices}
        for task in self.tasks:
            groups[task.section].tasks.append(task)
        return [group for group in groups.values() if group.tasks]

    def by_week(self) -> list[TaskGroup]:
        from django.utils.translation import gettext

        groups: dict[int, TaskGroup] = {}
        for task in self.tasks:
            week = self.week_of(task.due_on)
            if week not in groups:
                label = (
                    gettext("Before the start")
                    if week == 0
                    else gettext("Week %(number)s") % {"number": week}
                )
                groups[week] = TaskGroup(str(week), label)
            groups[week].tasks.append(task)
        return [groups[week] for week in sorted(groups)]

    def this_week(self) -> list[OnboardingTask]:
        """Open tasks due by the end of the current week, overdue ones included."""
        end = self.onboarding.start_date + datetime.timedelta(days=7 * max(self.week_number, 1))
        return [t for t in self.tasks if t.done_on is None and t.due_on < end]

    def later(self) -> list[OnboardingTask]:
        soon = {task.pk for task in self.this_week()}
        return [t for t in self.tasks if t.done_on is None and t.pk not in soon]


def onboarding_detail(*, onboarding: Onboarding) -> OnboardingView:
    """One onboarding with its tasks and its guides (two queries). `onboarding` comes with its
    employee loaded."""
    today = timezone.localdate()
    tasks = list(
        onboarding.tasks.select_related("competence", "required_level", "done_by").order_by(
            "due_on", "section", "position", "id"
        )
    )
    guides = list(
        Guidance.objects.current(today)
        .filter(learner_id=onboarding.employee_id)
        # The pool profile comes along for the guide's photo on the newcomer's page.
        .select_related(
            "guide", "guide__unit", "guide__guide_profile", "guide__guide_profile__shift"
        )
        .order_by("is_backup", "starts_on", "id")
    )
    primary = next((g for g in guides if g.kind == GuidanceKind.MENTOR and not g.is_backup), None)
    backups = [g for g in guides if g.kind == GuidanceKind.MENTOR and g.is_backup]
    others = [g for g in guides if g.kind != GuidanceKind.MENTOR]
    return OnboardingView(onboarding, tasks, primary, backups, others, today)


def own_onboarding(*, employee_id: int | None) -> Onboarding | None:
    """The person's active onboarding, else his latest one (one query)."""
    if employee_id is None:
        return None
    return (
        Onboarding.objects.filter(employee_id=employee_id)
        .exclude(status=OnboardingStatus.CANCELLED)
        .select_related("employee", "employee__unit", "job", "organiser")
        .order_by("status", "-start_date", "-id")  # "active" sorts before "completed"
        .first()
    )


# --- Person pickers (start and designate forms) -------------------------------------------------

# A person picker lists at most this many matches; typing more of the name narrows them.
PICKER_LIMIT = 20


@dataclass
class PersonChoices:
    """The people a searchable picker offers: `choices` as (id, label), and whether `more`
    people match than it shows."""

    choices: list[tuple[int, str]]
    more: bool = False
    query: str = ""


def name_matches(query: str) -> Q:
    """Every word of `query` (at most five) in the first name, last name or personnel number."""
    found = Q()
    for word in query.split()[:5]:
        found &= (
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(employee_number__icontains=word)
        )
    return found


def _pick(
    people: QuerySet[Employee],
    query: str,
    selected: Sequence[int | None],
    limit: int,
    default: Q,
    order: Sequence[str],
) -> tuple[list[Employee], bool]:
    """The `selected` people first (when they are among `people`), then at most `limit` of
    those matching `query` (else `default`), and whether more match: the one query behind a
    person picker."""
    chosen = list(dict.fromkeys(pk for pk in selected if pk))[:5]
    wanted = name_matches(query) if query.strip() else default
    if chosen:
        wanted |= Q(pk__in=chosen)
    rows = list(
        people.filter(wanted)
        .annotate(picked=Case(When(pk__in=chosen, then=Value(0)), default=Value(1)))
        .order_by("picked", *order)[: limit + len(chosen) + 1]
    )
    picked: list[Employee] = [row for row in rows if row.pk in chosen]
    others: list[Employee] = [row for row in rows if row.pk not in chosen]
    return picked + others[:limit], len(others) > limit


def guide_choices(
    *,
    onboarding: Onboarding,
    query: str = "",
    selected: Sequence[int | None] = (),
    limit: int = PICKER_LIMIT,
) -> PersonChoices:
    """Colleagues who could guide the newcomer, with how many newcomers each guides now: those
    matching `query` (every word in a name or personnel number), the colleagues of his own unit
    first and then the least busy; without a query, his unit's colleagues. At most `limit`, plus
    the `selected` ones (kept first, so a posted choice stays valid). One query."""
    from django.utils.translation import gettext

    today = timezone.localdate()
    unit_id = onboarding.employee.unit_id
    people = (
        Employee.objects.filter(organisation_id=onboarding.organisation_id)
        .active(today)
        .exclude(pk=onboarding.employee_id)
        .annotate(
            mentee_count=Count(
                "guiding",
                filter=Q(guiding__kind=GuidanceKind.MENTOR, guiding__is_backup=False)
                & (Q(guiding__ends_on__isnull=True) | Q(guiding__ends_on__gte=today)),
            ),
            same_unit=Case(When(unit_id=unit_id, then=Value(0)), default=Value(1)),
        )
        .select_related("unit")
    )
    rows, more = _pick(
        people,
        query,
        selected,
        limit,
        Q(unit_id=unit_id) if unit_id else Q(),
        ("same_unit", "mentee_count", "last_name", "first_name", "id"),
    )
    return PersonChoices(
        [
            (
                person.pk,
                gettext("%(name)s (%(unit)s, guides %(count)s)")
                % {
                    "name": person,
                    "unit": person.unit.name if person.unit else "-",
                    "count": person.mentee_count,  # type: ignore[attr-defined]
                },
            )
            for person in rows
        ],
        more=more,
        query=query,
    )


# --- Compliance ----------------------------------------------------------------------------------


# Each compliance list shows at most this many newcomers; the unit table leads to the rest.
COMPLIANCE_LIST_LIMIT = 50


@dataclass
class UnitCompliance:
    unit_name: str
    active: int
    without_guide: int
    # The onthaal record (selectors_record.record_compliance).
    instructions_open: int = 0
    unsigned: int = 0
    path: str = ""


@dataclass
class Compliance:
    units: list[UnitCompliance]
    missing: Sequence[Onboarding]
    instructions_open: Sequence[Onboarding] = ()
    unsigned: Sequence[Onboarding] = ()
    # The unit the lists are narrowed to (its name), if any.
    unit_name: str | None = None

    @property
    def instructions_open_total(self) -> int:
        return sum(unit.instructions_open for unit in self.units)

    @property
    def unsigned_total(self) -> int:
        return sum(unit.unsigned for unit in self.units)

    @property
    def limit(self) -> int:
        return COMPLIANCE_LIST_LIMIT

    @property
    def limit_slice(self) -> str:
        return f":{COMPLIANCE_LIST_LIMIT}"

    @property
    def active(self) -> int:
        return sum(unit.active for unit in self.units)

    @property
    def without_guide(self) -> int:
        return sum(unit.without_guide for unit in self.units)


def compliance(*, organisation: Organisation, unit_path: str | None = None) -> Compliance:
    """Active onboardings per unit and the newcomers among them without a designated
    peter/meter (Codex art. I.2-11), with instructions still open and documents not signed
    (the onthaal record), in three queries. `unit_path` narrows the lists (not the unit
    table) to one unit and its sub-units."""
    from leerplek.onboarding.selectors_record import record_compliance

    today = timezone.localdate()
    active = Onboarding.objects.filter(
        organisation=organisation, status=OnboardingStatus.ACTIVE
    ).annotate(has_guide=_current_primary(today))
    record = record_compliance(organisation=organisation)
    units = []
    for path, name, total, missing in (
        active.values("employee__unit__path", "employee__unit__name")
        .annotate(
            total=Count("id"),
            missing=Count("id", filter=Q(has_guide=False)),
        )
        .order_by("employee__unit__path")
        .values_list("employee__unit__path", "employee__unit__name", "total", "missing")
    ):
        unit_record = record.by_unit.get(path or "")
        units.append(
            UnitCompliance(
                name or "",
                total,
                missing,
                unit_record.instructions_open if unit_record else 0,
                unit_record.unsigned if unit_record else 0,
                path or "",
            )
        )
    without_guide = active.filter(has_guide=False)
    unit_name = None
    if unit_path is not None:
        unit_name = next((unit.unit_name for unit in units if unit.path == unit_path), "")
        without_guide = without_guide.filter(employee__unit__path__startswith=unit_path)
    missing_rows = list(
        without_guide.select_related("employee", "employee__unit", "organiser").order_by(
            "employee__unit__path", "start_date", "employee__last_name", "id"
        )
    )

    def in_unit(rows: Sequence[Onboarding]) -> list[Onboarding]:
        if unit_path is None:
            return list(rows)
        return [
            row
            for row in rows
            if row.employee.unit is not None and row.employee.unit.path.startswith(unit_path)
        ]

    return Compliance(
        units=units,
        missing=missing_rows,
        instructions_open=in_unit(record.instructions_open),
        unsigned=in_unit(record.unsigned),
        unit_name=unit_name,
    )


# --- Choices for the start form ------------------------------------------------------------------


def hierarchical_line(*, organisation: Organisation) -> QuerySet[Employee]:
    """People who may organise a welcome: they lead a unit, manage someone, or hold the line
    manager, HR or administrator role (Codex art. I.2-11: the employer or a member of the
    hierarchical line)."""
    from leerplek.core.roles import Role

    line_roles = [Role.MANAGER, Role.HR, Role.ADMIN]
    return (
        Employee.objects.filter(organisation=organisation)
        .active()
        .filter(
            Q(led_units__isnull=False)
            | Q(reports__isnull=False)
            | Q(
                user__role_grants__organisation=organisation, user__role_grants__role__in=line_roles
            )
        )
        .distinct()
    )


def organiser_choices(*, organisation: Organisation) -> list[tuple[int, str]]:
    """The hierarchical line as form choices (one query)."""
    return [
        (person.pk, f"{person.last_name}, {person.first_name}")
        for person in hierarchical_line(organisation=organisation).order_by(
            "last_name", "first_name", "id"
        )
    ]


def start_candidates(
    *,
    access: Access,
    query: str = "",
    selected: Sequence[int | None] = (),
    limit: int = PICKER_LIMIT,
) -> PersonChoices:
    """People the viewer may start an onboarding for: active, within the start roles' scope,
    without an active onboarding. Those matching `query` (every word in a name or personnel
    number), latest hired first (the newcomers); without a query, the latest hired. At most
    `limit`, plus the `selected` ones (kept first, so a posted choice stays valid). One query."""
    roles = PERMISSIONS["onboarding.start_onboarding"].roles
    running = Onboarding.objects.filter(employee_id=OuterRef("pk"), status=OnboardingStatus.ACTIVE)
    people = (
        Employee.objects.active()
        .filter(access.employee_scope_q(roles))
        .exclude(Exists(running))
        .select_related("unit")
    )
    rows, more = _pick(
        people, query, selected, limit, Q(), ("-hire_date", "last_name", "first_name", "id")
    )
    return PersonChoices(
        [
            (
                person.pk,
                f"{person.last_name}, {person.first_name}"
                + (f" ({person.unit.name})" if person.unit else ""),
            )
            for person in rows
        ],
        more=more,
        query=query,
    )


def mentee_onboardings(*, access: Access) -> list[Onboarding]:
    """The active onboardings of the people the user guides (one query; none without mentees)."""
    mentees = access.mentee_ids()
    if not mentees or access.organisation is None:
        return []
    return list(
        Onboarding.objects.filter(
            organisation=access.organisation,
            employee_id__in=mentees,
            status=OnboardingStatus.ACTIVE,
        )
        .select_related("employee", "employee__unit")
        .annotate(
            task_count=Count("tasks"),
            done_count=Count("tasks", filter=Q(tasks__done_on__isnull=False)),
        )
        .order_by("start_date", "id")
    )
