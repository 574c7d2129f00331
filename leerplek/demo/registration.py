"""Demo story of the registration module (#7): three financial years of learning at
Voedingsbedrijf X, the two past years closed for the social balance.

Each year holds what a food company of this size registers: formal courses (the forklift
certificate with Alimento, an internal HACCP refresher, first aid), learning in the work (the
peter teaching the mixing kettle, a trade fair, e-learning on allergens), initial training of
apprentices in dual learning, and sessions that do not count (a brainstorm, an information
session on the new rota). Temporary agency workers join a course (they count at their agency),
subsidies and fund contributions come in, so that every one of the 24 codes of the social
balance is non-zero in the closed years. Everything goes through the services, as HR would do it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import translation

from leerplek.core.access import load_access
from leerplek.core.roles import Role
from leerplek.people.models import Employee, Gender, PersonType, User
from leerplek.registration import services
from leerplek.registration.models import (
    Category,
    CostKind,
    Exclusion,
    InformalKind,
    OrganiserKind,
    Place,
)

D = datetime.date


def build(story: Any) -> None:
    if story.is_transport:
        return
    with translation.override(settings.LANGUAGE_CODE):
        _Story(story).build()


class _Story:
    def __init__(self, story: Any) -> None:
        self.organisation = story.state.organisation
        self.today: datetime.date = story.today
        hr_person = story.state.people.get(Role.HR)
        hr = User.objects.filter(employees__pk=hr_person.pk).first() if hr_person else None
        self.hr = hr or story.admin
        self.hr.access = load_access(self.hr, self.organisation.pk)

    def build(self) -> None:
        this_year = self.today.year
        for year in (this_year - 2, this_year - 1, this_year):
            self._year(year)
        for year in (this_year - 2, this_year - 1):
            record = services.financial_year_get_or_create(self.organisation, year)
            services.year_close(year=record, by=self.hr)
        self._rights(this_year)
        self._plan(this_year)

    # --- the training right and the plan ---------------------------------------------------

    def _rights(self, this_year: int) -> None:
        """The food sector's growth path with carry-over (an example of a sector rule: 3 days
        from 2024, 4 from 2026, 5 from 2028; unused days carry over, reset every five years),
        the FTE of the reference period per year, and two part-timers."""
        from leerplek.registration import services_rights

        rule = services_rights.sector_rule_create(
            organisation=self.organisation,
            by=self.hr,
            name="PC 118: groeipad opleidingsrecht",
            joint_committee=self.organisation.joint_committee or "118",
            valid_from_year=2024,
            days_20_plus="3",
            year_steps={"2024": "3", "2026": "4", "2028": "5"},
            carries_over=True,
            reset_years=5,
            reset_start_year=2024,
            note="Voorbeeld van een sectoraal groeipad (zoals PC 200): niet opgenomen dagen "
            "schuiven door en vervallen na elke periode van vijf jaar.",
        )
        fte = Employee.objects.filter(
            organisation=self.organisation, person_type=PersonType.EMPLOYEE
        ).count()
        for year in (this_year - 2, this_year - 1, this_year):
            services_rights.right_year_set(
                organisation=self.organisation, by=self.hr, year=year, fte=fte, rule=rule
            )
        for person in self._staff(this_year, Gender.FEMALE, 2, offset=8):
            services_rights.regime_add(
                employee=person, by=self.hr, fraction="0.5", start=person.hire_date
            )

    def _plan(self, this_year: int) -> None:
        """This year's plan in force, linked to its activities; next year's in consultation
        with the works council (draft shared, meeting planned, a first comment)."""
        from leerplek.registration import services_plan
        from leerplek.registration.models import Activity

        current = self._plan_lines(this_year)
        services_plan.plan_share(
            plan=current,
            by=self.hr,
            body="works_council",
            shared_on=D(this_year, 2, 2),
            meeting_on=D(this_year, 2, 24),
        )
        services_plan.advice_record(
            plan=current,
            by=self.hr,
            advice="Positief advies; aandacht gevraagd voor 50-plussers en anderstaligen.",
            advice_on=D(this_year, 2, 24),
        )
        services_plan.plan_in_force(plan=current, by=self.hr, in_force_on=D(this_year, 3, 1))
        lines = {line.title: line for line in current.lines.all()}
        for activity in Activity.objects.filter(
            organisation=self.organisation, end_date__year=this_year
        ):
            line = lines.get(activity.title)
            if line is not None:
                activity.plan_line = line
                activity.save(update_fields=["plan_line"])
        upcoming = self._plan_lines(this_year + 1)
        services_plan.plan_share(
            plan=upcoming,
            by=self.hr,
            body="works_council",
            shared_on=self.today - datetime.timedelta(days=3),
            meeting_on=self.today + datetime.timedelta(days=18),
        )
        council = User.objects.filter(
            role_grants__organisation=self.organisation, role_grants__role=Role.CONSULTATION
        ).first()
        if council is not None:
            council.access = load_access(council, self.organisation.pk)
            services_plan.comment_add(
                plan=upcoming,
                by=council,
                text="Kunnen de e-learnings ook in het Pools en Roemeens? Veel collega's in "
                "de verpakking lezen weinig Nederlands.",
            )

    def _plan_lines(self, year: int) -> Any:
        from leerplek.registration import services_plan

        plan = services_plan.plan_create(
            organisation=self.organisation,
            by=self.hr,
            year=year,
            title=f"Opleidingsplan {year}",
            budget="24000",
        )
        for title, category, resolution, target, people, hours, cost, groups in (
            (
                "Heftruckattest",
                "formal",
                "external",
                "Magazijniers en nieuwe operatoren",
                4,
                "30.40",
                "1200",
                ["50_plus", "low_skilled"],
            ),
            (
                "HACCP-opfrissing",
                "formal",
                "internal",
                "Alle operatoren productie",
                10,
                "35.00",
                "500",
                ["migration"],
            ),
            (
                "Eerste hulp op de werkvloer",
                "formal",
                "external",
                "Twee hulpverleners per ploeg",
                2,
                "30.40",
                "800",
                [],
            ),
            (
                "Meedraaien op de mengketel met de peter",
                "informal",
                "mentoring",
                "Nieuwe operatoren sauskeuken",
                2,
                "44.00",
                "1500",
                ["young"],
            ),
            (
                "E-learning allergenen",
                "informal",
                "external",
                "Productie en verpakking",
                10,
                "15.00",
                "250",
                ["migration", "low_skilled"],
            ),
            (
                "Duaal leren: operator voedingsindustrie",
                "formal",
                "external",
                "Leerlingen duaal leren",
                2,
                "874.00",
                "9620",
                ["young", "shortage"],
            ),
        ):
            services_plan.line_add(
                plan=plan,
                by=self.hr,
                title=title,
                category=category,
                learning_form=resolution,
                target_group=target,
                planned_participants=people,
                planned_hours=hours,
                planned_cost=cost,
                risk_groups=groups,
                counts_for_right=True,
                gender_note="Evenveel vrouwen als mannen uitnodigen." if people >= 4 else "",
            )
        return plan

    # --- people ----------------------------------------------------------------------------

    def _staff(self, year: int, gender: str, count: int, offset: int = 0) -> list[Employee]:
        """Own staff employed throughout `year` (up to today in the current year)."""
        last = min(D(year, 12, 31), self.today)
        people = (
            Employee.objects.filter(
                organisation=self.organisation,
                person_type=PersonType.EMPLOYEE,
                gender=gender,
                hire_date__lte=D(year, 1, 1),
            )
            .filter(Q(exit_date__isnull=True) | Q(exit_date__gte=last))
            .order_by("id")
        )
        return list(people[offset : offset + count])

    def _agency(self, day: datetime.date) -> list[Employee]:
        return list(
            Employee.objects.filter(
                organisation=self.organisation,
                person_type=PersonType.AGENCY,
                hire_date__lte=day,
            )
            .filter(Q(exit_date__isnull=True) | Q(exit_date__gte=day))
            .order_by("id")[:2]
        )

    def _apprentices(self, start: datetime.date, end: datetime.date) -> list[Employee]:
        """Apprentices in dual learning over the school year; two are added when the register
        has none of a gender for it (a dual learner who left after his diploma)."""
        found = []
        for gender, first, last in (
            (Gender.MALE, "Yusuf", "Demir"),
            (Gender.FEMALE, "Lotte", "Vermeulen"),
        ):
            person = (
                Employee.objects.filter(
                    organisation=self.organisation,
                    person_type=PersonType.APPRENTICE,
                    gender=gender,
                    hire_date__lte=start,
                )
                .filter(Q(exit_date__isnull=True) | Q(exit_date__gte=end))
                .order_by("id")
                .first()
            )
            if person is None:
                person = Employee.objects.create(
                    organisation=self.organisation,
                    first_name=first,
                    last_name=f"{last} ({start.year}-{end.year})",
                    gender=gender,
                    person_type=PersonType.APPRENTICE,
                    birth_date=D(start.year - 17, 5, 1),
                    hire_date=start,
                    exit_date=end,
                    exit_reason="end_of_contract",
                    languages="nl",
                )
            found.append(person)
        return found

    # --- activities ------------------------------------------------------------------------

    def _activity(
        self,
        title: str,
        start: datetime.date,
        end: datetime.date | None = None,
        *,
        people: list[tuple[Employee, str]],
        costs: list[tuple[str, str] | tuple[str, str, Employee]] = (),  # type: ignore[assignment]
        **fields: Any,
    ) -> None:
        end = end or start
        if end > self.today:
            return
        activity = services.activity_create(
            organisation=self.organisation,
            by=self.hr,
            title=title,
            start_date=start,
            end_date=end,
            **fields,
        )
        for person, hours in people:
            services.participant_add(activity=activity, by=self.hr, employee=person, hours=hours)
        for line in costs:
            services.cost_line_add(
                activity=activity,
                by=self.hr,
                kind=line[0],
                amount=line[1],
                employee=line[2] if len(line) > 2 else None,
            )

    def _year(self, year: int) -> None:
        men = self._staff(year, Gender.MALE, 8)
        women = self._staff(year, Gender.FEMALE, 8)
        if len(men) < 4 or len(women) < 4:
            return
        forklift = [(men[0], "7.60"), (men[1], "7.60"), (women[0], "7.60")]
        agency = self._agency(D(year, 3, 14))
        self._activity(
            "Heftruckattest",
            D(year, 3, 14),
            people=forklift + [(worker, "7.60") for worker in agency[:1]],
            costs=[
                (CostKind.EXTERNAL, str(290 * (len(forklift) + len(agency[:1])))),
                (CostKind.TRAINEE_PAY, "866.40"),
                (CostKind.CONTRIBUTION, "45.00"),
                (CostKind.SUBSIDY, "435.00"),
            ],
            category=Category.FORMAL,
            organiser_kind=OrganiserKind.EXTERNAL,
            organiser_name="Alimento",
            duration_hours="7.60",
            place=Place.AWAY,
            location="Opleidingscentrum Alimento, Gent",
        )
        self._activity(
            "HACCP-opfrissing",
            D(year, 5, 20),
            people=[(person, "3.50") for person in men[2:6] + women[1:5]],
            costs=[(CostKind.TRAINER_PAY, "420.00"), (CostKind.RUNNING, "80.00")],
            category=Category.FORMAL,
            organiser_kind=OrganiserKind.INTERNAL,
            duration_hours="3.50",
            place=Place.AWAY,
            location="Refter",
        )
        self._activity(
            "Eerste hulp op de werkvloer",
            D(year, 10, 7),
            D(year, 10, 8),
            people=[(women[5], "15.20"), (men[6], "15.20")],
            costs=[(CostKind.EXTERNAL, "760.00"), (CostKind.TRAVEL, "64.80", women[5])],
            category=Category.FORMAL,
            organiser_kind=OrganiserKind.EXTERNAL,
            organiser_name="Rode Kruis Vlaanderen",
            duration_hours="15.20",
        )
        self._activity(
            "Meedraaien op de mengketel met de peter",
            D(year, 2, 3),
            D(year, 2, 14),
            people=[(men[3], "24.00"), (women[2], "20.00")],
            costs=[(CostKind.TRAINER_PAY, "1496.00")],
            category=Category.INFORMAL,
            informal_kind=InformalKind.ON_THE_JOB,
            place=Place.WORKPLACE,
            duration_hours="24.00",
        )
        self._activity(
            "Vakbeurs Interpack: vul- en verpakkingstechniek",
            D(year, 5, 6),
            people=[(men[4], "7.60"), (women[3], "7.60")],
            costs=[(CostKind.TRAVEL, "318.00"), (CostKind.EXTERNAL, "120.00")],
            category=Category.INFORMAL,
            informal_kind=InformalKind.TRADE_FAIR,
            place=Place.AWAY,
            duration_hours="7.60",
        )
        self._activity(
            "E-learning allergenen",
            D(year, 9, 1),
            D(year, 9, 30),
            people=[(person, "1.50") for person in men[:5] + women[:5]],
            costs=[(CostKind.EXTERNAL, "250.00"), (CostKind.SUBSIDY, "50.00")],
            category=Category.INFORMAL,
            informal_kind=InformalKind.DISTANCE,
            place=Place.WORKPLACE,
            duration_hours="1.50",
        )
        start, end = D(year - 1, 9, 1), D(year, 6, 30)
        apprentices = self._apprentices(start, end)
        self._activity(
            "Duaal leren: operator voedingsindustrie",
            start,
            end,
            people=[(apprentices[0], "456.00"), (apprentices[1], "418.00")],
            costs=[
                (CostKind.TRAINEE_PAY, "7340.00"),
                (CostKind.TRAINER_PAY, "2280.00"),
                (CostKind.SUBSIDY, "1500.00"),
            ],
            category=Category.INITIAL,
            organiser_kind=OrganiserKind.EXTERNAL,
            organiser_name="Centrum voor Deeltijds Onderwijs",
            leads_to_qualification=True,
            partly_on_shop_floor=True,
            qualification="Operator voedingsindustrie (duaal)",
            place=Place.WORKPLACE,
        )
        self._activity(
            "Brainstorm nieuwe verpakkingslijn",
            D(year, 4, 2),
            people=[(men[0], "2.00"), (women[0], "2.00")],
            category=Category.INFORMAL,
            informal_kind=InformalKind.OTHER,
            exclusion=Exclusion.BRAINSTORMING,
            place=Place.WORKPLACE,
        )
        self._activity(
            "Infosessie nieuw uurrooster",
            D(year, 6, 12),
            people=[(person, "1.00") for person in men[:4] + women[:4]],
            category=Category.INFORMAL,
            informal_kind=InformalKind.OTHER,
            exclusion=Exclusion.POLICY_INFO,
            place=Place.WORKPLACE,
        )
        if D(year, 6, 30) <= self.today:
            services.contribution_add(
                organisation=self.organisation,
                by=self.hr,
                paid_on=D(year, 6, 30),
                amount=str(Decimal("2350.00") + 75 * (year % 10)),
                fund="Alimento (0,10 % risicogroepen)",
                description="Sectorbijdrage opleiding",
            )
