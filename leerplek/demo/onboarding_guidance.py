"""Demo data for the onboarding area 'guidance' (issue #5), for the demo's onboarding builder.

In both organisations: the coach log-in coaches one colleague (requested and accepted) and has
closed an earlier engagement with its outcome; a colleague's new request waits for her answer (the
home page shows it). A mentor programme for new team leaders has the top manager as sponsor and one
mentorship. Two candidates were assessed as instructor: one retained, who gets the instructor
log-in as experienced instructor, one not retained, with the feedback conversation recorded.
"""

from __future__ import annotations

import datetime
from typing import Any

from leerplek.core.roles import Role
from leerplek.onboarding import services_guidance as services
from leerplek.onboarding.models import GuidanceKind, Onboarding, OnboardingStatus, SelectionOutcome
from leerplek.people.models import Employee


def _colleagues(builder: Any, count: int, exclude: set[int]) -> list[Employee]:
    """Employees without a log-in or an active onboarding, the longest-serving first."""
    org = builder.state.organisation
    onboarding = Onboarding.objects.filter(organisation=org, status=OnboardingStatus.ACTIVE)
    people = (
        Employee.objects.active(builder.today)
        .filter(organisation=org, user__isnull=True, unit__isnull=False)
        .exclude(pk__in=onboarding.values("employee_id"))
        .exclude(pk__in=exclude)
        .order_by("hire_date", "employee_number")
    )
    return list(people[:count])


def _top_manager(builder: Any) -> Employee | None:
    for key, leader in builder.state.leaders.items():
        if builder.state.units[key].parent_id is None:
            return leader
    return None


def build(builder: Any) -> None:
    """Add this area's part of the demo story; `builder` is demo.builder._OnboardingBuilder."""
    people = builder.state.people
    admin, today = builder.admin, builder.today
    taken = {person.pk for person in people.values()}
    helpers = _colleagues(builder, 8, taken)
    if len(helpers) < 8:
        return
    coach = people.get(Role.COACH) or helpers[5]
    instructor = people.get(Role.INSTRUCTOR) or helpers[6]
    active_learner, former_learner, candidate_yes, candidate_no = helpers[:4]

    # Coaching: one closed with its outcome, one accepted and running, one waiting.
    earlier = services.coaching_request(
        learner=former_learner,
        coach=coach,
        by=admin,
        target_result="Stelt de etiketteermachine zelfstandig om in minder dan 15 minuten.",
        planned_end=today - datetime.timedelta(days=14),
        starts_on=today - datetime.timedelta(days=70),
        reason="Wil omstellingen sneller en zonder hulp doen.",
    )
    services.coaching_answer(guidance=earlier, by=admin, accept=True, is_coach=False)
    services.guidance_end(
        guidance=earlier,
        by=admin,
        ends_on=today - datetime.timedelta(days=10),
        outcome="Stelt zelfstandig om in 12 minuten; helpt nu ook collega's bij omstellingen.",
        target_reached=True,
    )
    running = services.coaching_request(
        learner=active_learner,
        coach=coach,
        by=admin,
        target_result="Leidt de ploegoverdracht zelf, met de checklist, in 10 minuten.",
        planned_end=today + datetime.timedelta(days=42),
        starts_on=today - datetime.timedelta(days=14),
        reason="Wordt vervangend ploegleider.",
    )
    services.coaching_answer(guidance=running, by=admin, accept=True, is_coach=False)
    asker = helpers[7]
    if asker.pk != coach.pk:
        services.coaching_request(
            learner=asker,
            coach=coach,
            by=admin,
            target_result="Meldt een storing volledig in het logboek, zonder hulp.",
            planned_end=today + datetime.timedelta(days=28),
            starts_on=today,
            reason="Vraagt zelf om wat extra begeleiding bij storingen.",
        )

    # A mentor programme with its sponsor and one mentorship (MEN-08, MEN-15).
    sponsor = _top_manager(builder) or people.get(Role.ADMIN)
    programme = services.programme_create(
        organisation=builder.state.organisation,
        by=admin,
        name="Nieuwe leidinggevenden",
        goals="Nieuwe ploegleiders groeien in hun rol: feedback geven, opleiden in de eigen "
        "afdeling, lastige gesprekken voeren.",
        expectations="De mentee brengt zelf onderwerpen aan; de mentor luistert en stelt vragen.",
        agreements="Eén gesprek per maand van een uur, vertrouwelijk; na twaalf maanden "
        "evalueren mentor en mentee samen en sluiten af.",
        sponsor=sponsor,
        starts_on=today - datetime.timedelta(days=120),
    )
    manager = people.get(Role.MANAGER) or next(
        (leader for leader in builder.state.leaders.values() if leader != sponsor), None
    )
    mentor = helpers[4]
    if manager is not None:
        services.guidance_start(
            learner=manager,
            guide=mentor,
            kind=GuidanceKind.LONG_TERM_GUIDE,
            by=admin,
            starts_on=today - datetime.timedelta(days=90),
            planned_end=today + datetime.timedelta(days=275),
            programme=programme,
            reason="Ervaren leidinggevende; leidde jarenlang de eigen opleidingen.",
        )

    # Instructor selection (MEN-11): one retained, one not retained with feedback.
    workstation = candidate_yes.workstation
    retained = services.selection_create(
        organisation=builder.state.organisation,
        by=admin,
        candidate=candidate_yes,
        workstation=workstation,
        profile_match="Kent alle posten van de lijn; geduldig; gebruikt de werkinstructies.",
        assessment="Legt rustig en in stappen uit; reageert kalm op een onverwachte stilstand.",
        peer_feedback="De ploeg vraagt haar nu al om uitleg.",
    )
    services.selection_decide(
        selection=retained,
        by=admin,
        outcome=SelectionOutcome.SELECTED,
        decided_on=today - datetime.timedelta(days=20),
    )
    services.guidance_start(
        learner=candidate_yes,
        guide=instructor,
        kind=GuidanceKind.INSTRUCTOR,
        by=admin,
        starts_on=today - datetime.timedelta(days=19),
        planned_end=today + datetime.timedelta(days=70),
        target_result="Geeft de werkpostinstructie zoals alle instructeurs: volgens de "
        "werkinstructie, met voordoen, laten nadoen en controleren.",
        reason="Ervaren instructeur als peter voor de nieuwe instructeur.",
    )
    not_retained = services.selection_create(
        organisation=builder.state.organisation,
        by=admin,
        candidate=candidate_no,
        workstation=candidate_no.workstation,
        profile_match="Zeer ervaren operator.",
        assessment="Neemt bij een probleem het werk over in plaats van uit te leggen.",
        peer_feedback="Behulpzaam, maar werkt liever zelf.",
    )
    services.selection_decide(
        selection=not_retained,
        by=admin,
        outcome=SelectionOutcome.NOT_RETAINED,
        decided_on=today - datetime.timedelta(days=20),
        feedback_conversation_on=today - datetime.timedelta(days=18),
        feedback_note="Uitgelegd dat instructeurs laten doen in plaats van zelf te doen; "
        "afgesproken om over een jaar opnieuw te bekijken, na de opleiding "
        "'Kennis doorgeven'.",
    )
