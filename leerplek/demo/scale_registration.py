"""Learning registrations of the scale data set (Schaal NV), written in bulk:
`build(org, today, rng)`.

By default 1,000,000 participations in about 100,000 learning activities over the last ten
years (about ten people each, each person employed on the day), in the mix a mid-size Flemish
employer shows: formal courses (internal and external) with cost lines, now and then a subsidy
or a fund contribution; more informal activities (on-the-job training, coaching, self-study...);
some initial training for apprentices; a few excluded sessions (brainstorming, policy
information); one company-level fund contribution per year; a training plan in force for last
year and this year, one line per training title, with the year's activities of that title
linked to it (plan against realised). Rows go in with `bulk_create`, not the services, like the
rest of Schaal NV.
"""

from __future__ import annotations

import datetime
import random
from bisect import bisect_right
from collections.abc import Iterator
from decimal import Decimal
from itertools import islice

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from leerplek.people.models import Employee, Organisation, PersonType
from leerplek.registration.models import (
    Activity,
    ActivityStatus,
    Category,
    CompanyContribution,
    CostKind,
    CostLine,
    Exclusion,
    InformalKind,
    OrganiserKind,
    Participation,
    ParticipationStatus,
    Place,
    PlanLine,
    PlanStatus,
    TrainingPlan,
)

ACTIVITIES_PER_PERSON = 10
ACTIVITIES = 100_000
PARTICIPANTS_PER_ACTIVITY = 10
YEARS = 10
BATCH = 10_000

FORMAL_TITLES = (
    "Heftruckattest",
    "VCA basisveiligheid",
    "Eerste hulp op de werkvloer",
    "HACCP voor operatoren",
    "Excel voor ploegleiders",
    "Leidinggeven aan een ploeg",
    "Brandbestrijding",
    "Lean basisopleiding",
)
INFORMAL_TITLES = (
    "Meedraaien op een nieuwe machine",
    "Coaching door de ploegleider",
    "Zelfstudie e-learning hygiëne",
    "Jobrotatie verpakking",
    "Bedrijfsbezoek bij een klant",
    "Vakbeurs verpakkingstechniek",
)
INFORMAL_KINDS = (
    InformalKind.ON_THE_JOB,
    InformalKind.COACHING,
    InformalKind.SELF_STUDY,
    InformalKind.JOB_ROTATION,
    InformalKind.STUDY_VISIT,
    InformalKind.TRADE_FAIR,
)


def _batches(rows: Iterator[object], size: int = BATCH) -> Iterator[list[object]]:
    while chunk := list(islice(rows, size)):
        yield chunk


def delete(org: Organisation) -> None:
    """An organisation's registration rows in bulk, children first, before the people go: the
    activities with their participations and cost lines, then every other registration model
    that belongs to the organisation (plans, rights, quick logs, schedules...)."""
    from django.apps import apps

    CostLine.objects.filter(activity__organisation=org).delete()
    Participation.objects.filter(activity__organisation=org).delete()
    Activity.objects.filter(organisation=org).delete()
    pending = list(apps.get_app_config("registration").get_models())
    # A model protected by another (a sector rule by the years that apply it) waits until the
    # rows pointing at it are gone; each pass deletes at least one model or the error stands.
    while pending:
        waiting = []
        for model in pending:
            names = {field.name for field in model._meta.get_fields()}
            try:
                with transaction.atomic():
                    if "organisation" in names:
                        model._default_manager.filter(organisation=org).delete()
                    elif "employee" in names:
                        model._default_manager.filter(employee__organisation=org).delete()
            except ProtectedError:
                waiting.append(model)
        if len(waiting) == len(pending):
            raise ProtectedError(f"Cannot delete {waiting}", set())
        pending = waiting


def counts(org: Organisation) -> dict[str, int]:
    return {
        "learning activities": Activity.objects.filter(organisation=org).count(),
        "learning registrations": Participation.objects.filter(activity__organisation=org).count(),
        "cost lines": CostLine.objects.filter(activity__organisation=org).count(),
        "plan lines": PlanLine.objects.filter(plan__organisation=org).count(),
    }


class _People:
    """Who is employed on a day, for drawing participants quickly: people sorted by hire date."""

    def __init__(self, org: Organisation) -> None:
        rows = list(
            Employee.objects.filter(organisation=org)
            .exclude(person_type=PersonType.EXTERNAL_TRAINER)
            .order_by("hire_date", "id")
            .values_list("id", "hire_date", "exit_date", "person_type")
        )
        self.rows = rows
        self.hires = [row[1] for row in rows]
        self.apprentices = [row for row in rows if row[3] == PersonType.APPRENTICE]

    def draw(self, rng: random.Random, day: datetime.date, count: int) -> list[int]:
        hired = bisect_right(self.hires, day)
        if hired == 0:
            return []
        chosen: set[int] = set()
        for _ in range(count * 3):
            pk, _hire, exit_date, _type = self.rows[rng.randrange(hired)]
            if exit_date is None or exit_date >= day:
                chosen.add(pk)
                if len(chosen) == count:
                    break
        return sorted(chosen)


def build(
    org: Organisation,
    today: datetime.date,
    rng: random.Random,
    *,
    activities: int = ACTIVITIES,
    per_activity: int = PARTICIPANTS_PER_ACTIVITY,
) -> None:
    people = _People(org)
    if not people.rows or activities <= 0:
        return
    first_day = today.replace(year=today.year - YEARS)
    span = (today - first_day).days
    now = timezone.now()
    plans: list[tuple[Activity, list[int], str]] = []
    # Draw activities until they hold `activities * per_activity` registrations: a draw may
    # find fewer people employed on the day than it asked for.
    wanted, drawn = activities * per_activity, 0
    while drawn < wanted:
        start = first_day + datetime.timedelta(days=rng.randrange(span))
        roll = rng.random()
        fields: dict[str, object] = {}
        if roll < 0.30:
            category, hours = Category.FORMAL, rng.choice(("3.5", "7.6", "7.6", "15.2", "22.8"))
            title = rng.choice(FORMAL_TITLES)
            fields["organiser_kind"] = rng.choice(OrganiserKind.values)
            fields["organiser_name"] = "Alimento" if rng.random() < 0.4 else "Opleidingscentrum"
            end = start + datetime.timedelta(days=int(Decimal(hours) // Decimal("7.6")))
        elif roll < 0.95:
            category, hours = Category.INFORMAL, rng.choice(("1.00", "2.00", "3.80", "7.60"))
            title = rng.choice(INFORMAL_TITLES)
            fields["informal_kind"] = rng.choice(INFORMAL_KINDS)
            fields["place"] = Place.WORKPLACE
            end = start
        elif roll < 0.97:
            category, hours = Category.INITIAL, "400.00"
            title = "Duaal leren: operator voeding"
            fields["leads_to_qualification"] = True
            fields["partly_on_shop_floor"] = True
            fields["qualification"] = "Operator voedingsindustrie"
            end = start + datetime.timedelta(days=300)
        else:
            category, hours = Category.INFORMAL, "1.00"
            title = "Infosessie bedrijfsbeleid"
            fields["informal_kind"] = InformalKind.OTHER
            fields["exclusion"] = Exclusion.POLICY_INFO
            end = start
        if category == Category.INITIAL and people.apprentices and rng.random() < 0.7:
            picks = rng.sample(people.apprentices, min(2, len(people.apprentices)))
            participants = sorted({row[0] for row in picks if row[1] <= start})
        else:
            participants = people.draw(rng, start, max(1, int(rng.gauss(per_activity, 3))))
        if not participants:
            continue
        activity = Activity(
            organisation=org,
            title=title,
            category=category,
            start_date=start,
            end_date=min(end, today) if end > start else start,
            duration_hours=Decimal(hours),
            status=ActivityStatus.CONFIRMED,
            confirmed_at=now,
            **fields,
        )
        plans.append((activity, participants, hours))
        drawn += len(participants)
    created: list[Activity] = []
    for chunk in _batches(iter([plan[0] for plan in plans])):
        created.extend(Activity.objects.bulk_create(chunk, batch_size=BATCH))  # type: ignore[arg-type]
    participations = (
        Participation(
            activity_id=activity.pk,
            employee_id=person,
            hours=Decimal(hours),
            status=(
                ParticipationStatus.NOT_FOLLOWED
                if rng.random() < 0.03
                else ParticipationStatus.COMPLETED
            ),
        )
        for activity, (_plan, participants, hours) in zip(created, plans, strict=True)
        for person in participants
    )
    for chunk in _batches(participations):
        Participation.objects.bulk_create(chunk, batch_size=BATCH)  # type: ignore[arg-type]
    for chunk in _batches(_cost_lines(rng, created, plans)):
        CostLine.objects.bulk_create(chunk, batch_size=BATCH)  # type: ignore[arg-type]
    CompanyContribution.objects.bulk_create(
        CompanyContribution(
            organisation=org,
            paid_on=datetime.date(year, 6, 30),
            amount=Decimal("18500.00") + Decimal(rng.randrange(0, 500_000)) / 100,
            fund="Alimento (0,10 % risicogroepen)",
        )
        for year in range(first_day.year, today.year + 1)
    )
    _plans(org, today, rng)


def _plans(org: Organisation, today: datetime.date, rng: random.Random) -> None:
    """Last year's and this year's plan in force: a line per training title, planned a little
    above or below what was realised, and the year's activities of that title linked to it."""
    titles = [(title, "formal") for title in FORMAL_TITLES] + [
        (title, "informal") for title in INFORMAL_TITLES
    ]
    for year in (today.year - 1, today.year):
        plan = TrainingPlan.objects.create(
            organisation=org,
            year=year,
            title=f"Opleidingsplan {year}",
            status=PlanStatus.IN_FORCE,
            budget=Decimal("850000.00"),
            shared_on=datetime.date(year, 2, 1),
            meeting_on=datetime.date(year, 2, 20),
            advice="Positief advies.",
            advice_on=datetime.date(year, 2, 20),
            in_force_on=datetime.date(year, 3, 1),
        )
        lines = PlanLine.objects.bulk_create(
            PlanLine(
                plan=plan,
                title=title,
                category=category,
                target_group="Operatoren en ploegleiders",
                planned_participants=rng.randrange(200, 1200),
                planned_hours=Decimal(rng.randrange(1_000, 9_000)),
                planned_cost=Decimal(rng.randrange(5_000, 90_000)),
                learning_form="external" if category == "formal" else "on_the_job",
                position=position,
            )
            for position, (title, category) in enumerate(titles)
        )
        for line in lines:
            Activity.objects.filter(organisation=org, title=line.title, end_date__year=year).update(
                plan_line=line
            )


def _cost_lines(
    rng: random.Random, created: list[Activity], plans: list[tuple[Activity, list[int], str]]
) -> Iterator[CostLine]:
    for activity, (_plan, participants, hours) in zip(created, plans, strict=True):
        people_hours = Decimal(hours) * len(participants)
        if activity.category == Category.INFORMAL and activity.exclusion == "":
            # The colleague who shows how: his hours are the cost of informal learning.
            yield CostLine(
                activity_id=activity.pk,
                kind=CostKind.TRAINER_PAY,
                amount=(Decimal(hours) * Decimal("42.50")).quantize(Decimal("0.01")),
            )
            continue
        yield CostLine(
            activity_id=activity.pk,
            kind=CostKind.TRAINEE_PAY,
            amount=(people_hours * Decimal("38.00")).quantize(Decimal("0.01")),
        )
        if activity.category == Category.FORMAL:
            external = Decimal(rng.randrange(150, 1_200)) * len(participants)
            yield CostLine(activity_id=activity.pk, kind=CostKind.EXTERNAL, amount=external)
            if rng.random() < 0.2:
                yield CostLine(
                    activity_id=activity.pk,
                    kind=CostKind.SUBSIDY,
                    amount=(external * Decimal("0.5")).quantize(Decimal("0.01")),
                    description="KMO-portefeuille",
                )
            if rng.random() < 0.1:
                yield CostLine(
                    activity_id=activity.pk,
                    kind=CostKind.TRAVEL,
                    amount=Decimal(rng.randrange(20, 200)) * len(participants),
                )
        elif activity.category == Category.INITIAL:
            yield CostLine(
                activity_id=activity.pk,
                kind=CostKind.SUBSIDY,
                amount=Decimal("750.00") * len(participants),
                description="Startbonus duaal leren",
            )
