"""Demo data for running an onboarding (issue #5, area 'plan').

Voedingsbedrijf X: the demo newcomer keeps three tips in her notebook (one about a task) and her
peter/meter recorded two observations; five earlier hires of two functions went through their
onboarding in past months, were released to work alone at their workstation (which closed their
work-floor tasks and set `independent_on`) and their plans are completed, so the outcome
metrics have time-to-independence data. Transportbedrijf X adds nothing here: its new driver
has no log-in, and only the newcomer writes his notebook.
"""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Exists, OuterRef

from leerplek.competences.models import WorkRelease
from leerplek.core.access import load_access
from leerplek.core.roles import Role
from leerplek.onboarding import services as onboarding_services
from leerplek.onboarding import services_plan
from leerplek.onboarding.models import Onboarding, OnboardingReason, OnboardingStatus
from leerplek.people.models import Employee, User

# A tiny real PNG (a grey square), so the demo notebook shows a photo without shipping a file.
DEMO_PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x08\x00\x00\x00\x08"
    b"\x08\x02\x00\x00\x00Km)\xdc\x00\x00\x00\x11IDATx\xdac\x98\xb6`\x15"
    b"V\xc40\xb4$\x00\xdezx\x01u>\n%\x00\x00\x00\x00IEND\xaeB"
    b"`\x82"
)
PAST_PLANS = 5


def build(builder: Any) -> None:
    """Add this area's part of the demo story; `builder` is demo.builder._OnboardingBuilder."""
    if builder.is_transport:
        return
    _food_newcomer(builder)
    _past_newcomers(builder)


def _acting(person: Employee | None, builder: Any) -> User | None:
    """The person's user with his access loaded, as a request would have it."""
    if person is None:
        return None
    # The state's copy may predate the link to the log-in: read it again.
    user = User.objects.filter(employees__pk=person.pk).first()
    if user is None:
        return None
    user.access = load_access(user, builder.state.organisation.pk)
    return user


def _running(person: Employee) -> Onboarding | None:
    return (
        Onboarding.objects.filter(employee=person, status=OnboardingStatus.ACTIVE)
        .select_related("employee", "employee__unit", "organisation")
        .first()
    )


def _food_newcomer(builder: Any) -> None:
    newcomer = builder.state.people[Role.EMPLOYEE]
    plan = _running(newcomer)
    me = _acting(newcomer, builder)
    if plan is None or me is None:
        return
    task = plan.tasks.filter(on_work_floor=True).order_by("due_on", "id").first()
    services_plan.notebook_add(
        onboarding=plan,
        by=me,
        text="Kleedkamer: eerst haarnetje, dan schort, dan handen wassen. Badge nooit in de zak.",
    )
    services_plan.notebook_add(
        onboarding=plan,
        by=me,
        text="Instelling van de sealer: 185 °C, druk 3. Foto van het display.",
        photo=SimpleUploadedFile("sealer.png", DEMO_PNG, "image/png"),
        task=task,
    )
    services_plan.notebook_add(
        onboarding=plan,
        by=me,
        text="Bij een storing: lijn stoppen, ploegleider bellen (toestel 214), niet zelf openen.",
    )
    peter = _acting(builder.state.people.get(Role.MENTOR), builder)
    if peter is None:
        return
    first = max(plan.start_date, builder.today - datetime.timedelta(days=40))
    services_plan.observation_record(
        onboarding=plan,
        by=peter,
        observed_on=first,
        task=task,
        went_well="Werkt hygiënisch en volgt de volgorde van de omkleedprocedure.",
        to_improve="Controleert de etiketten nog niet bij elke nieuwe rol.",
        feedback_given="Samen de etiketcontrole overlopen; bij elke rolwissel eerst één "
        "verpakking nakijken.",
    )
    services_plan.observation_record(
        onboarding=plan,
        by=peter,
        observed_on=builder.today - datetime.timedelta(days=5),
        went_well="Start de lijn zelfstandig op en meldt een storing correct.",
        to_improve="Tempo bij het wisselen van folie mag omhoog.",
        feedback_given="Goed bezig; volgende week oefenen we de foliewissel op tijd.",
    )


def _past_newcomers(builder: Any) -> None:
    """Five completed onboardings of people hired 4 to 14 months ago, in the two functions with
    the most such hires, each released to work alone at his workstation."""
    org = builder.state.organisation
    today = builder.today
    candidates = list(
        Employee.objects.active(today)
        .filter(
            organisation=org,
            job__isnull=False,
            workstation__isnull=False,
            user__isnull=True,
            hire_date__gte=today - datetime.timedelta(days=430),
            hire_date__lte=today - datetime.timedelta(days=120),
        )
        .exclude(onboardings__isnull=False)
        # Not yet released at his workstation by the competence story: the onboarding's
        # release is the one that closes the plan.
        .exclude(
            Exists(
                WorkRelease.objects.filter(
                    employee_id=OuterRef("pk"),
                    workstation_id=OuterRef("workstation_id"),
                    revoked_on__isnull=True,
                )
            )
        )
        .select_related("job", "workstation", "unit")
        .order_by("hire_date", "employee_number", "id")
    )
    jobs = [job for job, _ in Counter(p.job_id for p in candidates).most_common(2)]
    chosen = [p for p in candidates if p.job_id in jobs][:PAST_PLANS]
    manager = _acting(builder.state.people.get(Role.MANAGER), builder)
    organiser = builder.state.people[Role.MANAGER]
    for number, person in enumerate(chosen):
        plan = onboarding_services.onboarding_start(
            employee=person,
            by=builder.admin,
            reason=OnboardingReason.NEW_HIRE,
            start_date=person.hire_date,
            organiser=organiser,
        )
        # Office tasks done on time; the work floor closes with the release, 5 to 13 weeks in.
        for task in plan.tasks.filter(on_work_floor=False, due_on__lt=today):
            onboarding_services.task_mark_done(task=task, by=builder.admin, done_on=task.due_on)
        released_on = min(person.hire_date + datetime.timedelta(weeks=5 + 2 * number), today)
        releaser = manager
        if releaser is None or not releaser.has_perm("competences.release_employee", person):
            releaser = builder.admin
        services_plan.onboarding_release(
            onboarding=plan,
            by=releaser,
            workstation=person.workstation,  # type: ignore[arg-type]  # filtered on not null
            released_on=released_on,
            note="Werkt zelfstandig na inwerkperiode.",
        )
        services_plan.onboarding_complete(
            onboarding=plan,
            by=builder.admin,
            ended_on=min(plan.end_date, today),
            note="Inwerkperiode afgerond; zelfstandig aan de werkpost.",
        )
