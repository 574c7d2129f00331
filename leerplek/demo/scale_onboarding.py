"""Onboardings of the scale data set (Schaal NV), written in bulk: `build(org, today, rng)`.

Two years of onboardings (2,000 by default) from a company-wide template and one template per
common function: dated tasks (those due in the past mostly done), a peter/meter for most
newcomers (a backup for some, none for a few: they show on the compliance page), and a progress
review per interval (held ones with notes, missed ones overdue). Rows are written with
`bulk_create`, not the services, like the rest of Schaal NV; the rules the services enforce
still hold: one active onboarding per person, an organiser from the hierarchical line, a guide
who is not the newcomer and guides at most `MAX_MENTEES_DEFAULT` newcomers at a time.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter, defaultdict

from django.conf import settings

from leerplek.onboarding.models import (
    Guidance,
    GuidanceKind,
    GuidanceStatus,
    Onboarding,
    OnboardingReason,
    OnboardingStatus,
    OnboardingTask,
    OnboardingTemplate,
    ProgressReview,
    Section,
    TaskOwner,
    TemplateTask,
)
from leerplek.people.models import Employee, Organisation

ONBOARDINGS = 2_000
YEARS = 2
FUNCTION_TEMPLATES = 40  # the most common functions get their own template
BATCH = 2_000

# (section, title, owner, days from the start, on the work floor)
COMPANY_TASKS = [
    (Section.COMPANY, "Welkomstgesprek en rondleiding", TaskOwner.HR, 0, False),
    (Section.COMPANY, "Veiligheidsinstructies en EHBO", TaskOwner.PREVENTION_ADVISER, 0, False),
    (Section.COMPANY, "Arbeidsreglement en loonbrief uitgelegd", TaskOwner.HR, 1, False),
    (Section.COMPANY, "Rondgang op de werkvloer met de peter/meter", TaskOwner.MENTOR, 1, True),
    (Section.TRAINING_PLAN, "Opleidingsplan afspreken", TaskOwner.MANAGER, 30, False),
]
FUNCTION_TASKS = [
    (Section.FUNCTION, "Functie en taken toegelicht", TaskOwner.MANAGER, 1, False),
    (Section.FUNCTION, "Meelopen met de peter/meter", TaskOwner.MENTOR, 3, True),
    (Section.FUNCTION, "Eerste taken zelfstandig onder toezicht", TaskOwner.MENTOR, 21, True),
    (Section.COMPETENCE_CHECK, "Competentiecheck na inwerken", TaskOwner.MANAGER, 90, False),
]
REVIEW_DAYS = 30
DURATION_MONTHS = 6


def _add_months(day: datetime.date, months: int) -> datetime.date:
    from leerplek.onboarding.services import add_months

    return add_months(day, months)


def delete(org: Organisation) -> None:
    """Schaal NV's onboarding rows in bulk, children first, before the people go."""
    ProgressReview.objects.filter(onboarding__organisation=org).delete()
    OnboardingTask.objects.filter(onboarding__organisation=org).delete()
    Guidance.objects.filter(organisation=org).delete()
    Onboarding.objects.filter(organisation=org).delete()
    TemplateTask.objects.filter(template__organisation=org).delete()
    OnboardingTemplate.objects.filter(organisation=org).delete()


def counts(org: Organisation) -> dict[str, int]:
    return {
        "onboardings": Onboarding.objects.filter(organisation=org).count(),
        "onboarding tasks": OnboardingTask.objects.filter(onboarding__organisation=org).count(),
        "guidances": Guidance.objects.filter(organisation=org).count(),
        "progress reviews": ProgressReview.objects.filter(onboarding__organisation=org).count(),
    }


def build(
    org: Organisation, today: datetime.date, rng: random.Random, onboardings: int = ONBOARDINGS
) -> None:
    _ScaleOnboardings(org, today, rng, onboardings).build()


class _ScaleOnboardings:
    def __init__(
        self, org: Organisation, today: datetime.date, rng: random.Random, onboardings: int
    ) -> None:
        self.org = org
        self.today = today
        self.rng = rng
        self.size = onboardings
        self.first_day = today - datetime.timedelta(days=365 * YEARS)

    def build(self) -> None:
        if self.size <= 0:
            return
        people = list(
            Employee.objects.filter(organisation=self.org)
            .values_list("pk", "unit_id", "job_id", "manager_id", "hire_date", "exit_date")
            .order_by("pk")
        )
        company, by_job = self._templates(people)
        chosen = self._newcomers(people)
        onboardings = self._onboardings(chosen)
        self._tasks(onboardings, company, by_job)
        self._guides(onboardings, people)
        self._reviews(onboardings)

    # --- Templates ---------------------------------------------------------------------------

    def _templates(
        self, people: list[tuple]
    ) -> tuple[list[TemplateTask], dict[int, list[TemplateTask]]]:
        jobs = Counter(job for _, _, job, _, _, _ in people if job is not None)
        common = [job for job, _ in jobs.most_common(FUNCTION_TEMPLATES)]
        company = OnboardingTemplate(
            organisation=self.org,
            name="Onthaal bij Schaal NV",
            description="Het bedrijfsbrede deel dat elke nieuwe medewerker volgt.",
            duration_months=DURATION_MONTHS,
        )
        function_templates = [
            OnboardingTemplate(
                organisation=self.org,
                name=f"Inwerken functie {number + 1}",
                job_id=job,
                duration_months=DURATION_MONTHS,
            )
            for number, job in enumerate(common)
        ]
        OnboardingTemplate.objects.bulk_create([company, *function_templates])
        tasks: list[TemplateTask] = []
        for template, rows in [
            (company, COMPANY_TASKS),
            *((t, FUNCTION_TASKS) for t in function_templates),
        ]:
            for position, (section, title, owner, offset, floor) in enumerate(rows):
                tasks.append(
                    TemplateTask(
                        template=template,
                        section=section,
                        title=title,
                        owner=owner,
                        offset_days=offset,
                        on_work_floor=floor,
                        position=position,
                    )
                )
        TemplateTask.objects.bulk_create(tasks, batch_size=BATCH)
        company_tasks = [task for task in tasks if task.template is company]
        by_job: dict[int, list[TemplateTask]] = defaultdict(list)
        job_of = {template.pk: template.job_id or 0 for template in function_templates}
        for task in tasks:
            if task.template is not company:
                by_job[job_of[task.template.pk]].append(task)
        return company_tasks, by_job

    # --- Onboardings -------------------------------------------------------------------------

    def _newcomers(self, people: list[tuple]) -> list[tuple]:
        """People hired in the last two years first (their start is the hire date), then others
        who moved internally (a start drawn in the same two years). Managers organise."""

        def stayed(person: tuple) -> bool:
            return person[3] is not None and (person[5] is None or person[5] > self.first_day)

        recent = [p for p in people if p[4] >= self.first_day and stayed(p)]
        others = [p for p in people if p[4] < self.first_day and stayed(p)]
        self.rng.shuffle(recent)
        self.rng.shuffle(others)
        return (recent + others)[: self.size]

    def _onboardings(self, chosen: list[tuple]) -> list[Onboarding]:
        rng, today = self.rng, self.today
        rows = []
        for pk, _unit, job, manager, hire, exit_date in chosen:
            if hire >= self.first_day:
                start, reason = hire, OnboardingReason.NEW_HIRE
            else:
                last = min(today, exit_date or today)
                span = max(1, (last - self.first_day).days)
                start = self.first_day + datetime.timedelta(days=rng.randrange(span))
                reason = rng.choice(
                    [OnboardingReason.INTERNAL_MOVE] * 3
                    + [OnboardingReason.REORGANISATION, OnboardingReason.NEW_EQUIPMENT]
                )
            end = _add_months(start, DURATION_MONTHS)
            left = exit_date is not None and exit_date <= today
            status, ended_on, note = OnboardingStatus.ACTIVE, None, ""
            if left and exit_date is not None and exit_date < end:
                status, ended_on = OnboardingStatus.CANCELLED, max(start, exit_date)
                note = "Uit dienst voor het einde van het inwerken."
            elif end < today:
                status, ended_on = OnboardingStatus.COMPLETED, end
            rows.append(
                Onboarding(
                    organisation=self.org,
                    employee_id=pk,
                    job_id=job,
                    reason=reason,
                    start_date=start,
                    end_date=end,
                    organiser_id=manager,
                    status=status,
                    review_interval_days=REVIEW_DAYS,
                    ended_on=ended_on,
                    end_note=note,
                    independent_on=ended_on if status == OnboardingStatus.COMPLETED else None,
                )
            )
        return Onboarding.objects.bulk_create(rows, batch_size=BATCH)

    def _tasks(
        self,
        onboardings: list[Onboarding],
        company: list[TemplateTask],
        by_job: dict[int, list[TemplateTask]],
    ) -> None:
        rng, today = self.rng, self.today
        rows = []
        for onboarding in onboardings:
            plan = [
                task
                for task in company
                if onboarding.reason == OnboardingReason.NEW_HIRE or task.section != Section.COMPANY
            ] + by_job.get(onboarding.job_id or 0, [])
            closed = onboarding.ended_on or today
            for task in plan:
                due = onboarding.start_date + datetime.timedelta(days=task.offset_days)
                done_on = None
                if due <= closed and (
                    onboarding.status == OnboardingStatus.COMPLETED or rng.random() < 0.85
                ):
                    done_on = min(closed, due + datetime.timedelta(days=rng.randint(0, 5)))
                rows.append(
                    OnboardingTask(
                        onboarding=onboarding,
                        template_task=task,
                        section=task.section,
                        title=task.title,
                        owner=task.owner,
                        due_on=due,
                        on_work_floor=task.on_work_floor,
                        position=task.position,
                        done_on=done_on,
                    )
                )
        OnboardingTask.objects.bulk_create(rows, batch_size=BATCH)

    def _guides(self, onboardings: list[Onboarding], people: list[tuple]) -> None:
        """A colleague of the same unit as peter/meter for 9 in 10 newcomers (a backup next to
        1 in 10 of them); an active plan without one shows on the compliance page."""
        rng = self.rng
        limit = int(settings.LEERPLEK["MAX_MENTEES_DEFAULT"])
        by_unit: dict[int, list[int]] = defaultdict(list)
        for pk, unit, _job, _manager, _hire, exit_date in people:
            if exit_date is None and unit is not None:
                by_unit[unit].append(pk)
        unit_of = {pk: unit for pk, unit, *_ in people}
        hired = {pk: hire for pk, _unit, _job, _manager, hire, _exit in people}
        current: Counter[int] = Counter()  # open primary peters per guide
        rows = []
        for onboarding in onboardings:
            if rng.random() < 0.1:
                continue
            active = onboarding.status == OnboardingStatus.ACTIVE
            colleagues = [
                pk
                for pk in by_unit[unit_of[onboarding.employee_id]]
                if pk != onboarding.employee_id
                and hired[pk] < onboarding.start_date
                and (not active or current[pk] < limit)
            ]
            if not colleagues:
                continue
            picks = rng.sample(colleagues, k=min(2, len(colleagues)))
            ends_on = None if active else onboarding.ended_on
            for backup, guide in enumerate(picks[: 2 if rng.random() < 0.1 else 1]):
                if active and not backup:
                    current[guide] += 1
                rows.append(
                    Guidance(
                        organisation=self.org,
                        kind=GuidanceKind.MENTOR,
                        guide_id=guide,
                        learner_id=onboarding.employee_id,
                        is_backup=bool(backup),
                        onboarding=onboarding,
                        starts_on=onboarding.start_date,
                        ends_on=ends_on,
                        status=GuidanceStatus.ACTIVE if ends_on is None else GuidanceStatus.CLOSED,
                        end_reason="" if ends_on is None else "Inwerkperiode afgelopen.",
                    )
                )
        Guidance.objects.bulk_create(rows, batch_size=BATCH)

    def _reviews(self, onboardings: list[Onboarding]) -> None:
        """A review every interval up to the planned end; past ones held (with what was
        practised) by 4 in 5 active plans, all but a few of the closed ones; the rest overdue."""
        rng, today = self.rng, self.today
        rows = []
        for onboarding in onboardings:
            closed = onboarding.ended_on or onboarding.end_date
            number, planned = 1, onboarding.start_date + datetime.timedelta(days=REVIEW_DAYS)
            while planned <= onboarding.end_date and planned <= closed + datetime.timedelta(
                days=REVIEW_DAYS
            ):
                held = None
                if planned <= today:
                    chance = 0.8 if onboarding.status == OnboardingStatus.ACTIVE else 0.97
                    if rng.random() < chance:
                        held = min(today, planned + datetime.timedelta(days=rng.randint(0, 6)))
                rows.append(
                    ProgressReview(
                        onboarding=onboarding,
                        number=number,
                        planned_on=planned,
                        held_on=held,
                        manager_id=onboarding.organiser_id,
                        practised="Meegelopen op de lijn; taken onder toezicht." if held else "",
                        next_steps="Zelfstandig opstarten van de machine." if held else "",
                    )
                )
                number += 1
                planned += datetime.timedelta(days=REVIEW_DAYS)
        ProgressReview.objects.bulk_create(rows, batch_size=BATCH)
