"""Demo progress reviews (ONB-06): "Elke maand is er een gesprek met de peter en de
leidinggevende" (brochure).

Transportbedrijf X: the new driver Kevin Claes is about three months in. His first two monthly
reviews were held, with the senior driver who rides along and the team leader, with real notes
and a new planning; the third is overdue, so it shows on HR's home page and in the review list.
Voedingsbedrijf X: the demo newcomer's first two reviews were held by her line manager with her
peter/meter; the third is due now. The past reviews of the other running onboardings were held
on time, so the overdue flag means something. Everything goes through the services.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import translation

from leerplek.core.access import load_access
from leerplek.core.roles import Role
from leerplek.onboarding import selectors_reviews, services_reviews
from leerplek.onboarding.models import GuidanceKind, Onboarding, OnboardingStatus, ProgressReview
from leerplek.people.models import Employee, User

DAY = datetime.timedelta(days=1)

# (days after the planned date it was held, notes, what to learn next, task to replan or "")
DRIVER_REVIEWS = (
    (
        1,
        "Vertrekcontrole zit goed: Kevin werkt de checklist zelfstandig af, ook de lichten en "
        "de banden. De tachograaf blijft lastig bij handmatige ingaven; {peter} toonde het nog "
        "eens op het uitleesstation. Kevin vraagt veel, dat is goed. Eén keer te laat aan de kade "
        "door de file op de ring: bellen naar de planning afgesproken.",
        "Alleen de nationale ritten rijden, met {peter} bereikbaar per telefoon. Handmatige "
        "ingaven op de tachograaf oefenen tot het vlot gaat.",
        "",
    ),
    (
        2,
        "Rijdt sinds drie weken alleen de nationale ritten, zonder klachten van klanten. "
        "Laadklep en spanbanden: in orde, {peter} keek twee keer onaangekondigd mee. Vrachtbrieven "
        "soms onvolledig (handtekening ontvanger vergeten); de planning stuurt ze terug. Kevin "
        "voelt zich nog onzeker bij het achteruit inrijden aan smalle kades.",
        "Internationale rit in tandem met {peter} (rij- en rusttijden, CMR). Achteruit inrijden "
        "oefenen op het terrein op zaterdagvoormiddag.",
        "Internationale rit in tandem",
    ),
)

FOOD_REVIEWS = (
    (
        0,
        "Agnieszka kent de vullijn en de hygiëneregels; de HACCP-controles vult ze correct in. "
        "Omstellen van formaat gaat nog traag en ze vraagt dan hulp, zoals afgesproken. Ze "
        "spreekt liever Engels bij uitleg; Dirk doet dat.",
        "De wissel van formaat op lijn 1 zelf voorbereiden, met Dirk erbij. De "
        "kwaliteitscontrole aan het einde van de ploeg overnemen.",
        "",
    ),
    (
        1,
        "Formaatwissel op lijn 1 lukt nu met één vraag aan Dirk. Ze neemt de eindcontrole van "
        "de ploeg over. Werkt nog niet alleen aan de vulmachine: daarvoor wacht de vrijgave van "
        "de leidinggevende na de volgende opleiding.",
        "Vrijgave aan de vulmachine voorbereiden; storingen van de etiketteerder leren oplossen.",
        "",
    ),
)

OTHER_NOTES = (
    "Maandelijks gesprek: loopt volgens plan, geen bijsturing nodig.",
    "Gaat goed; vraagt zelf om uitleg wanneer iets niet duidelijk is.",
    "Op schema. Aandacht voor veilig werken blijft een vast punt.",
)


def _acting(person: Employee | None, builder: Any) -> User:
    """The person's user with his access loaded; the administrator when he has none."""
    user = User.objects.filter(employees__pk=person.pk).first() if person else None
    user = user or builder.admin
    user.access = load_access(user, builder.state.organisation.pk)
    return user


def _reviews(onboarding: Onboarding) -> list[ProgressReview]:
    return list(
        ProgressReview.objects.filter(onboarding=onboarding)
        .select_related(
            "onboarding",
            "onboarding__employee",
            "onboarding__employee__unit",
            "onboarding__employee__unit__leader",
            "onboarding__employee__manager",
            "onboarding__organiser",
        )
        .order_by("number")
    )


def _hold(
    builder: Any,
    review: ProgressReview,
    by: User,
    *,
    late_days: int,
    notes: str,
    next_steps: str,
    replan: str = "",
) -> None:
    """Hold `review` `late_days` after its date, pre-filled as the page would be that day."""
    held_on = min(review.planned_on + late_days * DAY, builder.today)
    texts = selectors_reviews.review_page(review=review, today=held_on).initial()
    plan = {}
    if replan:
        task = review.onboarding.tasks.filter(
            title__startswith=replan, done_on__isnull=True
        ).first()
        if task is not None:
            plan[task.pk] = builder.today + 10 * DAY
    services_reviews.review_record(
        review=review,
        by=by,
        held_on=held_on,
        notes=notes,
        next_steps=next_steps,
        plan=plan,
        **texts,
    )


def _story(builder: Any, onboarding: Onboarding, by: User, rows: tuple[Any, ...]) -> None:
    guide = (
        Employee.objects.filter(
            guiding__learner_id=onboarding.employee_id,
            guiding__kind=GuidanceKind.MENTOR,
            guiding__is_backup=False,
        )
        .order_by("pk")
        .first()
    )
    names = {"peter": guide.first_name if guide else "de peter"}
    reviews = _reviews(onboarding)
    for review, (late, notes, next_steps, replan) in zip(reviews, rows, strict=False):
        if review.planned_on + late * DAY > builder.today:
            break
        _hold(
            builder,
            review,
            by,
            late_days=late,
            notes=notes.format(**names),
            next_steps=next_steps.format(**names),
            replan=replan,
        )


def _others_on_time(builder: Any, skip: set[int], by: User) -> None:
    """Hold the past reviews of the other running onboardings on their planned day."""
    grace = services_reviews.grace_days() * DAY
    others = Onboarding.objects.filter(
        organisation=builder.state.organisation, status=OnboardingStatus.ACTIVE
    ).exclude(pk__in=skip)
    for onboarding in others.order_by("start_date", "id"):
        for review in _reviews(onboarding):
            if review.planned_on + grace >= builder.today:
                break
            _hold(
                builder,
                review,
                by,
                late_days=0,
                notes=OTHER_NOTES[(review.number + onboarding.pk) % len(OTHER_NOTES)],
                next_steps="",
            )


def _running(employee: Employee | None) -> Onboarding | None:
    if employee is None:
        return None
    return Onboarding.objects.filter(employee=employee, status=OnboardingStatus.ACTIVE).first()


def build(builder: Any) -> None:
    """Add this area's part of the demo story; `builder` is demo.builder._OnboardingBuilder."""
    # The pre-filled overview ("Late:", dates) is written in the organisation's language.
    with translation.override(settings.LANGUAGE_CODE):
        _build(builder)


def _build(builder: Any) -> None:
    people = builder.state.people
    hr = _acting(people.get(Role.HR), builder)
    story: set[int] = set()
    if builder.is_transport:
        driver = Employee.objects.filter(
            organisation=builder.state.organisation, employee_number="TX9001"
        ).first()
        plan = _running(driver)
        if plan is not None:
            # HR writes the reviews down for the team leader, who has no log-in.
            _story(builder, plan, hr, DRIVER_REVIEWS)
            story.add(plan.pk)
    else:
        plan = _running(people.get(Role.EMPLOYEE))
        if plan is not None:
            _story(builder, plan, _acting(people.get(Role.MANAGER), builder), FOOD_REVIEWS)
            story.add(plan.pk)
    _others_on_time(builder, story, hr)
