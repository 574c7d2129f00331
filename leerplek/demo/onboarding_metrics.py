"""Demo data for the onboarding results and the satisfaction pulse (issue #5, area 'metrics').

Transportbedrijf X tells the brochure's story (seed L880-913): two years of drivers. The first
year nobody rode along with a newcomer and about a third left within six months, some after a
week; then senior drivers became peters, and turnover fell and newcomers drove alone sooner.
40 driver onboardings, started through the services; their outcome (exit, release to drive
alone) is set afterwards as the past would have written it, and the pulse answers of that past
are stored as given then.

Voedingsbedrijf X: the demo newcomer and her peter/meter (both demo log-ins) answered the pulse
questions of the weeks already behind her, through the pulse service.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import F
from django.utils import timezone

from leerplek.core.access import load_access
from leerplek.core.roles import Role
from leerplek.onboarding import services as onboarding_services
from leerplek.onboarding import services_guidance, services_metrics, services_plan
from leerplek.onboarding.models import (
    Guidance,
    GuidanceKind,
    Onboarding,
    OnboardingReason,
    OnboardingStatus,
    OnboardingTask,
    PulseRespondent,
    PulseResponse,
)
from leerplek.onboarding.selectors_metrics import pulse_weeks
from leerplek.people import services as people_services
from leerplek.people.models import Employee, ExitReason, User

DAY = datetime.timedelta(days=1)
QUARTERS = 8
PER_QUARTER = 5

FIRST_NAMES = (
    "Jens", "Dries", "Kenny", "Nathalie", "Yusuf", "Bart", "Sofie", "Mehmet", "Pieter", "Rani",
    "Glenn", "Tom", "Karim", "Jolien", "Wim", "Bram", "Ilias", "Stijn", "Lotte", "Ward",
)  # fmt: skip
LAST_NAMES = (
    "Maes", "Wouters", "Goossens", "De Smet", "Hermans", "Aerts", "Verlinden", "Demir",
    "Van Damme", "Lambrechts", "Coppens", "Mertens", "El Amrani", "Vermeulen", "Jacobs",
    "Claeys", "Willems", "Peeters", "Michiels", "Smets",
)  # fmt: skip

# The first year (no peter): of each quarter's five drivers, who left and after how many days.
# 7 of 20 leave within six months (35 %, the brochure's 36 %), 2 of them in the first week.
LEFT_BEFORE = {(0, 1): 3, (0, 3): 48, (1, 0): 21, (1, 4): 130, (2, 2): 5, (2, 3): 88, (3, 1): 160}
# Later departures do not count as early: they show the figure is about the first months.
LEFT_LATER_BEFORE = {(0, 0): 290, (2, 4): 400}
# The second year (with a peter): 2 of 20 leave within six months, one in the first week.
LEFT_AFTER = {(5, 2): 4, (6, 1): 75}


def build(builder: Any) -> None:
    """Add this area's part of the demo story; `builder` is demo.builder._OnboardingBuilder."""
    if builder.is_transport:
        _driver_history(builder)
    else:
        _food_pulse(builder)


def _acting(user: User, builder: Any) -> User:
    user.access = load_access(user, builder.state.organisation.pk)
    return user


# --- Voedingsbedrijf X: the demo newcomer's pulse ------------------------------------------------


def _food_pulse(builder: Any) -> None:
    newcomer = builder.state.people[Role.EMPLOYEE]
    onboarding = (
        Onboarding.objects.filter(employee=newcomer, status=OnboardingStatus.ACTIVE)
        .select_related("employee", "employee__unit", "organisation")
        .first()
    )
    newcomer_user = User.objects.filter(employees__pk=newcomer.pk).first()
    peter = (
        Guidance.objects.current(builder.today)
        .filter(learner=newcomer, kind=GuidanceKind.MENTOR, is_backup=False)
        .select_related("guide")
        .first()
    )
    peter_user = User.objects.filter(employees__pk=peter.guide_id).first() if peter else None
    if onboarding is None or newcomer_user is None or peter_user is None:
        return
    answers = {1: (4, 5, "Veel nieuwe namen, maar iedereen helpt."), 4: (5, 4, "")}
    for week in pulse_weeks():
        day = onboarding.start_date + (week - 1) * 7 * DAY + 2 * DAY
        # Only the weeks already behind her: this week's question is still hers to answer.
        if week not in answers or day >= builder.today - 14 * DAY:
            continue
        mine, theirs, comment = answers[week]
        services_metrics.pulse_answer(
            onboarding=onboarding,
            score=mine,
            comment=comment,
            by=_acting(newcomer_user, builder),
            today=day,
        )
        services_metrics.pulse_answer(
            onboarding=onboarding,
            score=theirs,
            comment="Ze stelt goede vragen; ik kijk zelf ook anders naar de lijn."
            if week == 1
            else "",
            by=_acting(peter_user, builder),
            today=day,
        )


# --- Transportbedrijf X: two years of drivers ----------------------------------------------------


def _peters(builder: Any) -> list[Employee]:
    """Senior drivers who ride along: the longest in service first."""
    return list(
        Employee.objects.active(builder.today)
        .filter(organisation=builder.state.organisation, job=builder.state.jobs["CHCE"])
        .filter(hire_date__lte=builder.today - 5 * 365 * DAY)
        .order_by("hire_date", "employee_number")
    )


def _driver_history(builder: Any) -> None:
    org = builder.state.organisation
    admin = builder.admin
    today = builder.today
    driver_job = builder.state.jobs["CHCE"]
    unit = builder.state.units["chauf-nat"]
    leader = builder.state.leaders.get("chauf-nat")
    organiser = leader or builder.state.people[Role.HR]
    peters = _peters(builder)
    busy = set(
        Guidance.objects.current(today)
        .filter(organisation=org, kind=GuidanceKind.MENTOR, is_backup=False)
        .values_list("guide_id", flat=True)
    )
    # The eight calendar quarters before the current one: the results page's cohorts.
    this_quarter = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    pulses: list[PulseResponse] = []
    number = 0
    for quarter in range(QUARTERS):
        with_peter = quarter >= QUARTERS // 2
        for index in range(PER_QUARTER):
            number += 1
            back = QUARTERS - quarter  # quarters before the current one
            month_index = this_quarter.year * 12 + this_quarter.month - 1 - 3 * back
            first_day = datetime.date(month_index // 12, month_index % 12 + 1, 1)
            start = first_day + (3 + index * 17) * DAY
            left = (LEFT_AFTER if with_peter else LEFT_BEFORE).get((quarter, index))
            left = left or LEFT_LATER_BEFORE.get((quarter, index))
            exit_date = start + left * DAY if left is not None else None
            if exit_date is not None and exit_date > today:
                exit_date = None
            # With a peter the first drives alone come after 5 to 8 weeks, without after 10 to 14.
            weeks = (5 + (index + quarter) % 4) if with_peter else (10 + (index * 3 + quarter) % 5)
            released = start + weeks * 7 * DAY
            independent_on: datetime.date | None = released
            if (exit_date is not None and exit_date < released) or released > today:
                independent_on = None
            person = people_services.employee_create(
                organisation=org,
                by=admin,
                job=driver_job,
                unit=unit,
                workstation=builder.state.workstations["BAK"],
                manager=leader,
                employee_number=f"TX8{number:03d}",
                first_name=FIRST_NAMES[number % len(FIRST_NAMES)],
                last_name=LAST_NAMES[(number * 7 + number // len(FIRST_NAMES)) % len(LAST_NAMES)],
                email=f"chauffeur{number:03d}@transportbedrijf-x.demo",
                gender="f" if number % 9 == 3 else "m",
                birth_date=start - (22 + number % 25) * 365 * DAY,
                hire_date=start,
                languages="nl",
            )
            onboarding = onboarding_services.onboarding_start(
                employee=person,
                by=admin,
                reason=OnboardingReason.NEW_HIRE,
                start_date=start,
                organiser=organiser,
            )
            guidance = None
            if with_peter:
                free = [p for p in peters if p.pk not in busy] or peters
                peter = free[number % len(free)]
                guidance = onboarding_services.guide_designate(
                    learner=person,
                    guide=peter,
                    by=admin,
                    onboarding=onboarding,
                    starts_on=start,
                    reason="Ervaren chauffeur; rijdt de eerste ritten mee.",
                )
            _outcome(builder, onboarding, guidance, exit_date, independent_on, busy)
            pulses.extend(_past_pulses(onboarding, with_peter, exit_date, today, number))
    created = PulseResponse.objects.bulk_create(pulses)
    # The answers were given in their week, not today.
    for answer in created:
        given = answer.onboarding.start_date + ((answer.moment - 1) * 7 + 2) * DAY
        PulseResponse.objects.filter(pk=answer.pk).update(
            answered_at=timezone.make_aware(datetime.datetime.combine(given, datetime.time(16)))
        )


def _outcome(
    builder: Any,
    onboarding: Onboarding,
    guidance: Guidance | None,
    exit_date: datetime.date | None,
    independent_on: datetime.date | None,
    busy: set[int],
) -> None:
    """Write what happened: released to drive alone, plan closed two weeks later or at the exit,
    peter freed, person left."""
    admin = builder.admin
    if independent_on is not None:
        # Past releases are history: the day is set directly (the release service dates today).
        Onboarding.objects.filter(pk=onboarding.pk).update(independent_on=independent_on)
    # The tasks done on time until the release, the exit or three days ago, whichever came first.
    done_until = min(
        day for day in (independent_on, exit_date, builder.today - 3 * DAY) if day is not None
    )
    OnboardingTask.objects.filter(
        onboarding=onboarding, done_on__isnull=True, due_on__lte=done_until
    ).update(done_on=F("due_on"))
    plan_ends = independent_on + 14 * DAY if independent_on is not None else None
    left_during = exit_date is not None and (plan_ends is None or exit_date <= plan_ends)
    ended = exit_date if left_during else plan_ends
    if ended is not None and ended > builder.today:
        ended = None
    if guidance is not None:
        if ended is None:
            busy.add(guidance.guide_id)
        else:
            services_guidance.guidance_end(
                guidance=guidance,
                by=admin,
                ends_on=ended,
                reason="Nieuwkomer uit dienst." if left_during else "Rijdt zelfstandig.",
            )
    if left_during and exit_date is not None:
        services_plan.onboarding_cancel(
            onboarding=onboarding, by=admin, ended_on=exit_date, note="Uit dienst: zelf vertrokken."
        )
    elif ended is not None:
        services_plan.onboarding_complete(
            onboarding=onboarding, by=admin, ended_on=ended, note="Rijdt zelfstandig."
        )
    if exit_date is not None:
        people_services.employee_update(
            employee=onboarding.employee,
            by=admin,
            exit_date=exit_date,
            exit_reason=ExitReason.RESIGNATION,
        )


def _past_pulses(
    onboarding: Onboarding,
    with_peter: bool,
    exit_date: datetime.date | None,
    today: datetime.date,
    number: int,
) -> list[PulseResponse]:
    """The answers of the pulse weeks that lay behind, before the driver left: lower without a
    peter, and the peters' own answer (recognition, renewed interest, challenge)."""
    rows = []
    for week in pulse_weeks():
        day = onboarding.start_date + ((week - 1) * 7 + 2) * DAY
        if day >= today - 7 * DAY or (exit_date is not None and day >= exit_date):
            break
        spread = (number + week) % 3  # 0, 1 or 2
        score = (4 + (spread > 0)) if with_peter else (2 + spread)
        comment = ""
        if not with_peter and spread == 0:
            comment = "Niemand om het aan te vragen onderweg."
        elif with_peter and spread == 2:
            comment = "Mijn peter toonde de laadkaaien en de planning."
        rows.append(
            PulseResponse(
                onboarding=onboarding,
                respondent=PulseRespondent.NEWCOMER,
                moment=week,
                score=min(score, 5),
                comment=comment,
            )
        )
        if with_peter:
            rows.append(
                PulseResponse(
                    onboarding=onboarding,
                    respondent=PulseRespondent.GUIDE,
                    moment=week,
                    score=4 if spread else 3,
                    comment="Ik zie mijn eigen routines opnieuw." if spread == 1 else "",
                )
            )
    return rows
