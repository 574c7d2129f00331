"""Build the demo organisations (through the services) and the scale data set (in bulk).

The demo is deterministic: one seeded `random.Random` draws every name and attribute, so each
build gives the same people. Only dates are relative to today, so that the people near
retirement stay near retirement and the newcomers stay new.
"""

from __future__ import annotations

import datetime
import random
import time
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from leerplek.competences import catalogue_services, transfer_services
from leerplek.competences import services as competence_services
from leerplek.competences.models import (
    Assessment,
    Competence,
    CompetenceGroup,
    Level,
)
from leerplek.core import access_services, audit
from leerplek.core.access import load_access
from leerplek.core.models import AuditEntry, RoleGrant
from leerplek.core.roles import Role
from leerplek.demo import data, scale_onboarding, scale_registration, scale_training
from leerplek.demo.data import DemoPerson, Move, OrgSpec, Slot
from leerplek.onboarding import services as onboarding_services
from leerplek.onboarding.models import (
    Guidance,
    Onboarding,
    OnboardingReason,
    OnboardingTemplate,
    OnthaalDocument,
)
from leerplek.people import services
from leerplek.people.models import (
    AssignmentReason,
    DutchLevel,
    EducationLevel,
    Employee,
    ExitReason,
    Gender,
    Job,
    JobAssignment,
    JobTask,
    Organisation,
    OrgUnit,
    PersonType,
    TaskKind,
    UnitKind,
    User,
    Workstation,
)

DEMO_PASSWORD = "leerplek-demo"
DEMO_URL = "http://127.0.0.1:8000/"
SEED = 2009  # the brochure's year; any fixed number keeps the demo the same

FOOD_DOMAIN = data.VOEDINGSBEDRIJF_X.domain
# One log-in per role in Voedingsbedrijf X; tests log in as each of them.
DEMO_USERS: list[tuple[Role, str]] = [
    (person.role, f"{person.local_part}@{FOOD_DOMAIN}")
    for person in data.VOEDINGSBEDRIJF_X.demo_people
]
ADMIN_EMAIL = f"admin@{FOOD_DOMAIN}"
TRANSPORT_HR_EMAIL = f"hr@{data.TRANSPORTBEDRIJF_X.domain}"
SCALE_HR_EMAIL = f"hr@{data.SCALE_SLUG}.demo"


@dataclass(frozen=True)
class Login:
    role: Role
    email: str
    organisations: tuple[str, ...]


def demo_logins() -> list[Login]:
    """The demo log-ins with the organisations each one reaches (all share DEMO_PASSWORD)."""
    names = {spec.slug: spec.name for spec in data.DEMO_ORGANISATIONS}
    logins = [Login(role, email, (data.VOEDINGSBEDRIJF_X.name,)) for role, email in DEMO_USERS]
    logins[[email for _, email in DEMO_USERS].index(ADMIN_EMAIL)] = Login(
        Role.ADMIN, ADMIN_EMAIL, tuple(names.values())
    )
    logins.append(Login(Role.HR, TRANSPORT_HR_EMAIL, (data.TRANSPORTBEDRIJF_X.name,)))
    return logins


def demo_emails() -> list[str]:
    return [login.email for login in demo_logins()]


def demo_exists() -> bool:
    slugs = [spec.slug for spec in data.DEMO_ORGANISATIONS]
    return Organisation.objects.filter(slug__in=slugs).count() == len(slugs)


# --- Deleting ------------------------------------------------------------------------------------


@transaction.atomic
def organisation_delete(*, organisation: Organisation, by: User | None) -> None:
    """Delete an organisation with its units, functions, workstations and people.

    The audit log keeps its entries (it has no database constraint on the organisation), and
    gets one more saying the organisation was deleted. Protected links are undone first, leaves
    before the units they point at.
    """
    org = organisation
    counts = {
        "units": OrgUnit.objects.filter(organisation=org).count(),
        "people": Employee.objects.filter(organisation=org).count(),
    }
    RoleGrant.objects.filter(organisation=org).delete()
    # Training rows protect people, modules and instructions: remove them first.
    from leerplek.demo import scale_registration, scale_training

    # Learning registrations protect the people they count: remove them first.
    scale_registration.delete(org)
    scale_training.delete(org)
    # Guides, organisers and templates protect people and functions: remove them first.
    Guidance.objects.filter(organisation=org).delete()
    # Signed onthaal documents protect their onboarding (and each earlier version).
    for document in OnthaalDocument.objects.filter(onboarding__organisation=org).order_by(
        "-version"
    ):
        document.delete()
    Onboarding.objects.filter(organisation=org).delete()
    OnboardingTemplate.objects.filter(organisation=org).delete()
    OrgUnit.objects.filter(organisation=org).update(leader=None)
    Employee.objects.filter(organisation=org).update(manager=None, workstation=None)
    JobAssignment.objects.filter(employee__organisation=org).delete()
    Employee.objects.filter(organisation=org).delete()
    Workstation.objects.filter(organisation=org).delete()
    OrgUnit.objects.filter(organisation=org).update(parent=None)
    OrgUnit.objects.filter(organisation=org).delete()
    audit.record(
        actor=by,
        action="demo.organisation_deleted",
        obj=org,
        before={"name": org.name, "slug": org.slug, **counts},
    )
    org.delete()


# --- The demo organisations ----------------------------------------------------------------------


@dataclass
class BuildResult:
    built: bool
    seconds: float


def demo_build(*, reset: bool = False, today: datetime.date | None = None) -> BuildResult:
    """Create Voedingsbedrijf X and Transportbedrijf X with their demo users, unless present.

    With `reset`, delete them (and the demo users) first. Returns whether anything was built.
    """
    started = time.perf_counter()
    if demo_exists() and not reset:
        return BuildResult(built=False, seconds=time.perf_counter() - started)
    with transaction.atomic():
        slugs = [spec.slug for spec in data.DEMO_ORGANISATIONS]
        for org in Organisation.objects.filter(slug__in=slugs):
            organisation_delete(organisation=org, by=None)
        User.objects.filter(email__in=demo_emails()).delete()
        _DemoBuilder(today or timezone.localdate()).build()
    return BuildResult(built=True, seconds=time.perf_counter() - started)


def _ascii(text: str) -> str:
    # Letters that do not decompose into an ASCII base letter.
    table: dict[str, str | int | None] = {"ł": "l", "Ł": "L", "ı": "i", "ß": "ss"}  # noqa: RUF001
    text = text.translate(str.maketrans(table))
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if char.isascii())


def _email_local(first: str, last: str) -> str:
    return ".".join(
        "".join(char for char in _ascii(part).lower() if char.isalnum()) for part in (first, last)
    )


def _years_ago(today: datetime.date, years: float) -> datetime.date:
    return today - datetime.timedelta(days=round(years * 365.25))


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[key] for key in keys])[0]


_FLOOR_CLASSES = ("", "Klasse A", "Klasse B", "Klasse C")
_LITTLE_DUTCH = (DutchLevel.NONE, DutchLevel.A1, DutchLevel.A2)


@dataclass
class _Person:
    """A drawn person before it is written."""

    values: dict[str, Any]
    job: str | None
    unit: str
    leads: bool = False
    role: Role | None = None
    leaving: bool = False


@dataclass
class _OrgState:
    spec: OrgSpec
    organisation: Organisation
    units: dict[str, OrgUnit] = field(default_factory=dict)
    jobs: dict[str, Job] = field(default_factory=dict)
    workstations: dict[str, Workstation] = field(default_factory=dict)
    leaders: dict[str, Employee] = field(default_factory=dict)
    people: dict[Role, Employee] = field(default_factory=dict)
    names: set[tuple[str, str]] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)
    number: int = 0


def _draw_languages(rng: random.Random, origin: str) -> tuple[str, str]:
    """(languages, Dutch level) for `origin`; first-generation migrants know little Dutch."""
    low = [DutchLevel.NONE, DutchLevel.A1, DutchLevel.A2, DutchLevel.B1]
    if origin == "flemish":
        extra = rng.choices(["", ", fr", ", en", ", fr, en"], weights=[55, 20, 18, 7])[0]
        return "nl" + extra, DutchLevel.NATIVE
    if origin == "walloon":
        return "fr, nl", rng.choice([DutchLevel.B1, DutchLevel.B2, DutchLevel.C1])
    own = {"polish": "pl", "romanian": "ro", "turkish": "tr", "arabic": "ar"}[origin]
    if origin in {"turkish", "arabic"} and rng.random() < 0.5:
        second = ", fr" if origin == "arabic" else ""
        return f"nl, {own}{second}", DutchLevel.NATIVE  # born and schooled here
    extra = rng.choices(["", ", en", ", fr"], weights=[50, 35, 15])[0]
    return own + extra, rng.choices(low, weights=[20, 30, 35, 15])[0]


def _education(rng: random.Random, classification: str, person_type: str) -> str:
    if person_type == PersonType.APPRENTICE:
        return EducationLevel.LOWER_SECONDARY
    if person_type == PersonType.INTERN:
        return rng.choice([EducationLevel.HIGHER_SECONDARY, EducationLevel.BACHELOR])
    if classification.startswith("Kader"):
        return rng.choice([EducationLevel.BACHELOR, EducationLevel.MASTER])
    if classification.startswith("Bediende"):
        return rng.choice([EducationLevel.HIGHER_SECONDARY, EducationLevel.BACHELOR])
    if classification == "Klasse D":
        return rng.choice([EducationLevel.HIGHER_SECONDARY, EducationLevel.BACHELOR])
    return rng.choices(
        [
            EducationLevel.PRIMARY,
            EducationLevel.LOWER_SECONDARY,
            EducationLevel.HIGHER_SECONDARY,
            EducationLevel.UNKNOWN,
        ],
        weights=[15, 35, 40, 10],
    )[0]


class _DemoBuilder:
    def __init__(self, today: datetime.date) -> None:
        self.today = today
        self.rng = random.Random(SEED)
        # Hashing is slow on purpose; every demo account shares the one password.
        self.password = make_password(DEMO_PASSWORD)
        self.users: dict[str, User] = {}

    # Users first: the admin is the actor of everything that follows.
    def build(self) -> None:
        for spec in data.DEMO_ORGANISATIONS:
            for person in spec.demo_people:
                self._user(f"{person.local_part}@{spec.domain}", person)
        admin = self.users[ADMIN_EMAIL]
        # The administrator creates both organisations and so administers both: the organisation
        # switcher shows.
        states = [self._organisation(spec, admin) for spec in data.DEMO_ORGANISATIONS]
        food, transport = states
        for state in states:
            self._grants(state, admin)
        _CompetenceBuilder(
            food,
            admin,
            self.today,
            rows=data.FOOD_COMPETENCES,
            groups=data.FOOD_GROUPS,
            seed=SEED + 4,
        ).build()
        _CompetenceBuilder(
            transport,
            admin,
            self.today,
            rows=data.TRANSPORT_COMPETENCES,
            groups=data.TRANSPORT_GROUPS,
            seed=SEED + 5,
        ).build()
        for state in states:
            _OnboardingBuilder(state, admin, self.today).build()
        from leerplek.demo import training

        for state in states:
            training.build(
                state,
                admin,
                self.today,
                is_transport=state.spec is data.TRANSPORTBEDRIJF_X,
            )
        from leerplek.demo import registration, registration_schedule

        for state in states:
            story = training.TrainingStory(
                state=state,
                admin=admin,
                today=self.today,
                is_transport=state.spec is data.TRANSPORTBEDRIJF_X,
            )
            registration.build(story)
            registration_schedule.build(story)
        for user in self.users.values():
            state = transport if user.email == TRANSPORT_HR_EMAIL else food
            user.current_organisation = state.organisation
            user.save(update_fields=["current_organisation"])

    def _user(self, email: str, person: DemoPerson) -> None:
        user = User(
            email=email,
            first_name=person.first_name,
            last_name=person.last_name,
            language=person.language,
            password=self.password,
            is_staff=person.role is Role.ADMIN,
            is_superuser=person.role is Role.ADMIN,
        )
        user.save()
        self.users[email] = user

    def _organisation(self, spec: OrgSpec, admin: User) -> _OrgState:
        org = access_services.organisation_create(
            name=spec.name,
            slug=spec.slug,
            by=admin,
            sector=spec.sector,
            joint_committee=spec.joint_committee,
            training_fund=spec.training_fund,
            training_fund_agreements=spec.training_fund_agreements,
            is_sme=spec.is_sme,
        )
        state = _OrgState(spec=spec, organisation=org)
        for row in spec.units:
            state.units[row.key] = services.unit_create(
                organisation=org,
                by=admin,
                name=row.name,
                code=row.code,
                kind=row.kind,
                description=row.description,
                parent=state.units[row.parent] if row.parent else None,
            )
        for job in spec.jobs:
            state.jobs[job.code] = services.job_create(
                organisation=org,
                by=admin,
                tasks=[services.TaskLine(kind, text) for kind, text in job.tasks],
                code=job.code,
                name=job.name,
                description=job.description,
                classification=job.classification,
                months_to_independence=job.months,
                tandem_days=job.tandem_days,
                review_interval_days=job.review_days,
                is_active=job.is_active,
            )
        for ws in spec.workstations:
            state.workstations[ws.code] = services.workstation_create(
                organisation=org,
                by=admin,
                code=ws.code,
                name=ws.name,
                unit=state.units[ws.unit],
                is_machine=ws.is_machine,
                difficulty_rank=ws.rank,
                description=ws.description,
            )
        self._people(state, admin)
        return state

    # --- People ----------------------------------------------------------------------------------

    def _people(self, state: _OrgState, admin: User) -> None:
        spec = state.spec
        depth = {row.key: 0 for row in spec.units}
        for row in spec.units:
            if row.parent:
                depth[row.key] = depth[row.parent] + 1
        leading: list[tuple[str, str, DemoPerson | None]] = [
            (person.unit, person.job, person) for person in spec.demo_people if person.leads
        ]
        leading += [(unit, job, None) for unit, job in spec.leaders]
        # Top-down, so that each leader's own manager exists before him.
        leading.sort(key=lambda item: depth[item[0]])
        for unit, job, demo in leading:
            person = (
                self._demo_person(state, demo)
                if demo
                else self._draw(state, PersonType.EMPLOYEE, unit, job, leader=True)
            )
            employee = self._write(state, person, admin)
            state.leaders[unit] = employee
            services.unit_update(unit=state.units[unit], by=admin, leader=employee)
        for demo in spec.demo_people:
            if not demo.leads:
                self._write(state, self._demo_person(state, demo), admin)
        for slot in spec.slots:
            for index in range(slot.count):
                person = self._draw(
                    state,
                    slot.person_type,
                    slot.unit,
                    slot.job,
                    senior=index < slot.seniors,
                    leaving=slot.count - index <= slot.leavers,
                    slot=slot,
                )
                self._write(state, person, admin)

    def _manager_for(self, state: _OrgState, unit_key: str, leads: bool) -> Employee | None:
        parents = {row.key: row.parent for row in state.spec.units}
        key: str | None = parents[unit_key] if leads else unit_key
        while key is not None:
            if key in state.leaders:
                return state.leaders[key]
            key = parents[key]
        return None

    def _next_number(self, state: _OrgState) -> str:
        state.number += 1
        return f"{state.spec.number_prefix}{state.number:04d}"

    def _email(self, state: _OrgState, first: str, last: str) -> str:
        local = _email_local(first, last)
        email, n = f"{local}@{state.spec.domain}", 1
        while email in state.emails:
            n += 1
            email = f"{local}{n}@{state.spec.domain}"
        state.emails.add(email)
        return email

    def _demo_person(self, state: _OrgState, demo: DemoPerson) -> _Person:
        today, rng = self.today, self.rng
        email = f"{demo.local_part}@{state.spec.domain}"
        state.emails.add(email)
        state.names.add((demo.first_name, demo.last_name))
        hire = _years_ago(today, demo.years_of_service)
        values = {
            "employee_number": self._next_number(state),
            "first_name": demo.first_name,
            "last_name": demo.last_name,
            "email": email,
            "person_type": PersonType.EMPLOYEE,
            "gender": demo.gender,
            "birth_date": _years_ago(today, demo.age) - datetime.timedelta(days=rng.randrange(300)),
            "hire_date": hire,
            "experience_years": Decimal(f"{demo.years_of_service + rng.randrange(0, 6):.1f}"),
            "languages": demo.languages,
            "dutch_level": demo.dutch_level,
            "education_level": demo.education_level,
            "career_note": demo.career_note,
        }
        return _Person(values, demo.job, demo.unit, leads=demo.leads, role=demo.role)

    def _draw(
        self,
        state: _OrgState,
        person_type: str,
        unit: str,
        job: str | None,
        *,
        leader: bool = False,
        senior: bool = False,
        leaving: bool = False,
        slot: Slot | None = None,
    ) -> _Person:
        """Draw one person of `person_type` from the seeded generator."""
        rng, today, spec = self.rng, self.today, state.spec
        origin = _pick(rng, data.ORIGIN_MIX[person_type])
        names = data.ORIGINS[origin]
        gender = rng.choices([Gender.MALE, Gender.FEMALE, Gender.OTHER], weights=[57, 42, 1])[0]
        first = last = ""
        for _ in range(50):
            if gender == Gender.OTHER:
                first = rng.choice(names.male + names.female)
            else:
                first = rng.choice(names.female if gender == Gender.FEMALE else names.male)
            last = rng.choice(names.last)
            if origin == "polish" and gender == Gender.FEMALE and last.endswith("ski"):
                last = last[:-1] + "a"  # Polish surnames take the feminine form
            if (first, last) not in state.names:
                break
        state.names.add((first, last))

        if senior:
            age = rng.randint(60, 64)
        elif leader:
            age = rng.randint(38, 60)
        else:
            age = rng.randint(*data.AGE_RANGE[person_type])
        birth = _years_ago(today, age) - datetime.timedelta(days=rng.randrange(365))
        if person_type == PersonType.EMPLOYEE:
            most = min(data.MAX_YEARS_OF_SERVICE, age - 18)
            least = min(20.0, most) if senior else (min(8.0, most) if leader else 0.15)
            service = rng.uniform(least, most)
            hire = _years_ago(today, service)
        else:
            hire = today - datetime.timedelta(days=rng.randint(*data.HIRED_DAYS_AGO[person_type]))
            service = (today - hire).days / 365.25

        exit_date = None
        exit_reason = ""
        if leaving:
            exit_date = today - datetime.timedelta(days=rng.randint(20, 700))
            if person_type == PersonType.EMPLOYEE:
                exit_reason = rng.choice(
                    [
                        ExitReason.RESIGNATION,
                        ExitReason.RESIGNATION,
                        ExitReason.RETIREMENT,
                        ExitReason.DISMISSAL,
                        ExitReason.OTHER,
                    ]
                )
            else:
                exit_reason = ExitReason.END_OF_CONTRACT
            if exit_reason == ExitReason.RETIREMENT:
                birth = _years_ago(exit_date, rng.randint(63, 65))
            if hire >= exit_date - datetime.timedelta(days=60):
                hire = exit_date - datetime.timedelta(days=rng.randint(90, 1500))
        planned_exit = None
        if senior and rng.random() < 0.6:
            planned_exit = _years_ago(birth, -rng.randint(65, 66))
            if planned_exit <= today:
                planned_exit = today + datetime.timedelta(days=rng.randint(60, 400))

        languages, dutch = _draw_languages(rng, origin)
        classification = next((j.classification for j in spec.jobs if j.code == job), "")
        if (leader or classification not in _FLOOR_CLASSES) and dutch in _LITTLE_DUTCH:
            # Leading a team or office work is done in Dutch here.
            dutch = DutchLevel.B2
            languages = languages if "nl" in languages else f"{languages}, nl"
        prior = rng.uniform(0, max(0.0, age - 18 - service)) * 0.4
        office = unit.startswith(("kant", "adm", "plan"))
        values = {
            "employee_number": (
                "" if person_type == PersonType.EXTERNAL_TRAINER else self._next_number(state)
            ),
            "first_name": first,
            "last_name": last,
            "email": self._email(state, first, last) if (leader or office) else "",
            "person_type": person_type,
            "gender": gender,
            "birth_date": birth,
            "hire_date": hire,
            "exit_date": exit_date,
            "exit_reason": exit_reason,
            "planned_exit_date": planned_exit,
            "experience_years": Decimal(f"{min(service + prior, 60):.1f}"),
            "languages": languages,
            "dutch_level": dutch,
            "education_level": _education(rng, classification, person_type),
            "career_note": data.CAREER_NOTES.get(person_type, ""),
        }
        if slot is not None and slot.workstations:
            values["workstation_code"] = rng.choice(slot.workstations)
        return _Person(values, job, unit, leads=leader, leaving=leaving)

    def _career(self, state: _OrgState, person: _Person) -> list[Move]:
        """The function moves that led to `person.job` (empty: he holds it since his hire)."""
        spec, rng = state.spec, self.rng
        hire: datetime.date = person.values["hire_date"]
        if person.job is None or person.leaving or person.values["person_type"] != "employee":
            return []
        service_years = (self.today - hire).days / 365.25
        reorg = spec.reorganisation
        reorg_date = _years_ago(self.today, spec.reorganisation_years_ago)
        if (
            reorg is not None
            and person.unit.startswith(spec.reorganisation_unit)
            and hire < reorg_date - datetime.timedelta(days=180)
        ):
            chain = _chain(spec.moves, reorg.target, person.job)
            if chain is not None:
                return [reorg, *chain]
        if service_years > 3 and rng.random() < 0.45:
            options = [move for move in spec.moves if move.target == person.job]
            if options:
                return [rng.choice(options)]
        return []

    def _write(self, state: _OrgState, person: _Person, admin: User) -> Employee:
        values = dict(person.values)
        code = values.pop("workstation_code", None)
        moves = self._career(state, person)
        first_job = moves[0].source if moves else person.job
        employee = services.employee_create(
            organisation=state.organisation,
            by=admin,
            job=state.jobs[first_job] if first_job else None,
            unit=state.units[person.unit],
            manager=self._manager_for(state, person.unit, person.leads),
            workstation=state.workstations[code] if code else None,
            **values,
        )
        self._history(state, employee, moves, admin)
        if person.role is not None:
            # The log-in exists (made first, with the demo password): it is linked, not replaced.
            user = self.users[values["email"]]
            access_services.account_create_for_employee(
                employee=employee, email=user.email, language=user.language, by=admin
            )
            state.people[person.role] = employee
        return employee

    def _history(
        self, state: _OrgState, employee: Employee, moves: Sequence[Move], admin: User
    ) -> None:
        """Walk `employee` through `moves`: a reorganisation on its date, others spread out."""
        if not moves:
            return
        spec = state.spec
        latest = self.today - datetime.timedelta(days=30)
        start = employee.hire_date
        dates: list[datetime.date] = []
        for index, move in enumerate(moves):
            if move is spec.reorganisation:
                start = _years_ago(self.today, spec.reorganisation_years_ago)
            else:
                # Leave room for the moves still to come.
                share = (latest - start).days // (len(moves) - index)
                if share < 120:
                    return  # no room for this career: he keeps the function he was hired for
                start += datetime.timedelta(days=self.rng.randint(min(300, share // 2), share))
            dates.append(start)
        for move, day in zip(moves, dates, strict=True):
            services.employee_assign_job(
                employee=employee,
                job=state.jobs[move.target],
                start_date=day,
                reason=move.reason,
                note=move.note,
                by=admin,
            )

    # --- Grants ----------------------------------------------------------------------------------

    def _grants(self, state: _OrgState, admin: User) -> None:
        for person in state.spec.demo_people:
            if person.role is Role.EMPLOYEE:
                continue  # an own person record is what makes an employee
            user = self.users[f"{person.local_part}@{state.spec.domain}"]
            if user == admin:
                continue  # made administrator when he created the organisation
            access_services.role_grant(
                organisation=state.organisation,
                user=user,
                role=person.role,
                unit=state.units["verp"] if person.role is Role.MANAGER else None,
                by=admin,
            )


class _CompetenceBuilder:
    """The competence catalogue, requirements, assessments, releases and transfer plans of one
    demo organisation, through the services.

    Drawn with its own seeded generator, so the people drawn before stay the same. What a new
    user should see at once (issue #4): every team's matrix has some gaps, a couple of
    certificates that expire within 60 days and one that has expired, and someone not yet
    released to work alone. In Voedingsbedrijf X the vacuum emulsion at the sauce kitchen is held
    at U or O only by people about to leave (retirement age or a planned exit), with transfer
    plans; the early shift's changeover skill went from about 43 % to 65 % of the team after a
    training five months ago (coverage over time); attitudes and software are scored 1 to 5.
    """

    def __init__(
        self,
        state: _OrgState,
        admin: User,
        today: datetime.date,
        *,
        rows: Sequence[data.CompetenceRow],
        groups: Sequence[data.GroupRow],
        seed: int,
    ) -> None:
        self.state = state
        self.admin = admin
        self.today = today
        self.rows = rows
        self.groups = groups
        self.rng = random.Random(seed)
        self.competences: dict[str, Competence] = {}
        self.levels: dict[str, dict[str, Level]] = {}  # competence code -> level code -> level
        self.unit_keys = {unit.pk: key for key, unit in state.units.items()}
        # (person, competence code) -> "expiring" or "expired": the certificates to show.
        self.certificates: dict[tuple[int, str], str] = {}
        self.held_back: set[int] = set()  # people kept "not released to work alone"
        self.leaving: set[int] = set()  # people who retire or leave within the horizon

    def build(self) -> None:
        org = self.state.organisation
        # The administrator records everything; services check his role like anyone's.
        self.admin.access = load_access(self.admin, org.pk)
        self._catalogue()
        people = list(
            Employee.objects.active(self.today)
            .filter(organisation=org)
            .select_related("job", "workstation", "unit", "manager", "organisation")
            .order_by("employee_number", "pk")
        )
        teams: dict[str, list[Employee]] = defaultdict(list)
        for person in people:
            teams[self.unit_keys.get(person.unit_id or 0, "")].append(person)
        self._leavers(people)
        self._plan(teams)
        for person in people:
            self._assess(person)
        self._changeover(teams.get(data.CHANGEOVER_UNIT, []))
        self._self_assessments()
        self._transfer_plans(people)

    # --- Catalogue -------------------------------------------------------------------------------

    def _catalogue(self) -> None:
        org, admin = self.state.organisation, self.admin
        default = competence_services.default_scale(org)
        numeric = None
        if any(group.numeric for group in self.groups):
            numeric = catalogue_services.scale_create(
                organisation=org,
                by=admin,
                name=data.NUMERIC_SCALE_NAME,
                preset=catalogue_services.NUMERIC,
            )
        levels = {
            scale.pk: {level.code: level for level in scale.levels.all()}
            for scale in (default, numeric)
            if scale is not None
        }
        groups = {
            row.name: catalogue_services.group_create(
                organisation=org,
                by=admin,
                name=row.name,
                description=row.description,
                scale=numeric if row.numeric else None,
            )
            for row in self.groups
        }
        for row in self.rows:
            group = groups.get(data.competence_group(row))
            competence = competence_services.competence_create(
                organisation=org,
                by=admin,
                code=row.code,
                name=row.name,
                kind=row.kind,
                group=group,
                level_texts=data.competence_level_texts(row),
            )
            self.competences[row.code] = competence
            scale_id = group.scale_id if group is not None and group.scale_id else default.pk
            self.levels[row.code] = levels[scale_id]
            targets: list[dict[str, Any]] = [{"job": self.state.jobs[code]} for code in row.jobs]
            targets += [{"workstation": self.state.workstations[code]} for code in row.workstations]
            for target in targets:
                competence_services.requirement_set(
                    competence=competence,
                    by=admin,
                    level=self.levels[row.code][row.level],
                    validity_months=row.validity_months,
                    ideal_count=row.ideal,
                    # The TWI timetable: someone who can teach it wherever three should cover it.
                    ideal_trainers=1 if row.ideal >= 3 else 0,
                    **target,
                )

    # --- Who shows what --------------------------------------------------------------------------

    def _assessor(self, person: Employee) -> Employee | None:
        if person.manager_id is None or person.manager_id == person.pk:
            return None
        if person.user_id == self.admin.pk:
            return None  # the administrator himself
        return person.manager

    def _requires(self, person: Employee, row: data.CompetenceRow) -> bool:
        job = person.job.code if person.job else None
        station = person.workstation.code if person.workstation else None
        return job in row.jobs or station in row.workstations

    def _age(self, person: Employee) -> float:
        return (self.today - person.birth_date).days / 365.25 if person.birth_date else 40.0

    def _leavers(self, people: list[Employee]) -> None:
        """People who leave within the retention horizon; when fewer than two of the sauce makers
        old enough to hold the vacuum emulsion do, the two oldest announce their retirement."""
        horizon = self.today + datetime.timedelta(
            days=30 * settings.LEERPLEK["RETENTION_HORIZON_MONTHS"] - 31
        )
        retire_at = settings.LEERPLEK["RETIREMENT_AGE"]
        for person in people:
            retires = person.birth_date and _years_ago(person.birth_date, -retire_at) <= horizon
            planned = person.planned_exit_date and person.planned_exit_date <= horizon
            if retires or planned:
                self.leaving.add(person.pk)
        if not any(row.seniors_only for row in self.rows):
            return
        seniors = sorted(
            (p for p in people if p.job and p.job.code == "SAUSB" and self._age(p) >= 60),
            key=lambda p: (p.birth_date, p.pk),
        )
        for person in seniors[:2]:
            if person.pk not in self.leaving:
                services.employee_update(
                    employee=person,
                    by=self.admin,
                    planned_exit_date=self.today
                    + datetime.timedelta(days=self.rng.randint(420, 600)),
                    career_note="Heeft zijn pensioen aangekondigd; draagt de vacuümemulsie over.",
                )
                self.leaving.add(person.pk)

    def _plan(self, teams: dict[str, list[Employee]]) -> None:
        """Per team: two certificates that expire within 60 days and one that expired, and one
        person (the newest at a workstation) not yet released to work alone."""
        certified = [row for row in self.rows if row.validity_months]
        for key in sorted(teams):
            members = [p for p in teams[key] if self._assessor(p) is not None]
            pairs: list[tuple[Employee, data.CompetenceRow, datetime.date]] = []
            for person in members:
                for row in certified:
                    if not self._requires(person, row):
                        continue
                    # Valid for `validity_months` from the assessment, which must fall after
                    # the hire (the expired one ends up to 60 days ago).
                    months = row.validity_months or 0
                    start = self.today - datetime.timedelta(days=months * 30 + 90)
                    if person.hire_date < start:
                        pairs.append((person, row, start))
            self.rng.shuffle(pairs)
            used: set[int] = set()
            wanted = ["expiring", "expiring", "expired"]
            for person, row, _start in pairs:
                if not wanted:
                    break
                if person.pk in used:
                    continue
                used.add(person.pk)
                self.certificates[(person.pk, row.code)] = wanted.pop(0)
            stations = [
                p
                for p in members
                if p.workstation is not None
                and any(p.workstation.code in row.workstations for row in self.rows)
            ]
            if stations:
                newest = max(stations, key=lambda p: (p.hire_date, p.pk))
                self.held_back.add(newest.pk)

    # --- Assessments -----------------------------------------------------------------------------

    def _code(self, row: data.CompetenceRow, years: float, person: Employee) -> str:
        rng = self.rng
        if self.levels[row.code].keys() >= {"1", "5"}:  # the 1-5 scale
            return rng.choice("2233" if years < 1 else "2334444555")
        if row.seniors_only:
            return rng.choice("UO") if person.pk in self.leaving else rng.choice("0IIL")
        station = person.workstation.code if person.workstation else None
        if person.pk in self.held_back and station in row.workstations:
            return "L"  # still learning his own workstation: not released yet
        if years < 1:
            return rng.choice("0IIL")
        return rng.choice("LUUUOOO" if years > 8 else "ILUUUUO")

    def _assess(self, person: Employee) -> None:
        rng, today = self.rng, self.today
        assessor = self._assessor(person)
        if assessor is None:
            return  # nobody to assess him, or the administrator himself
        job = person.job.code if person.job else None
        station = person.workstation.code if person.workstation else None
        in_changeover_team = self.unit_keys.get(person.unit_id or 0) == data.CHANGEOVER_UNIT
        years = (today - person.hire_date).days / 365.25
        covered = False
        for row in self.rows:
            if row.code == data.CHANGEOVER and in_changeover_team:
                continue  # its dated history is drawn for the whole shift in `_changeover`
            # Every sauce maker is assessed on the vacuum emulsion, whatever his kettle.
            sauce_maker = row.seniors_only and job == "SAUSB"
            if not self._requires(person, row) and not sauce_maker:
                continue
            planned = self.certificates.get((person.pk, row.code))
            must = planned or (row.seniors_only and person.pk in self.leaving)
            if not must and rng.random() < 0.08:
                continue  # not assessed yet: a gap in the matrix
            code = self._code(row, years, person)
            on = today - datetime.timedelta(days=rng.randrange(20, 700))
            if planned and row.validity_months:
                code = rng.choice("UO")
                ends = today + datetime.timedelta(
                    days=rng.randint(10, 55) if planned == "expiring" else -rng.randint(5, 60)
                )
                on = ends - datetime.timedelta(days=row.validity_months * 30)
            levels = self.levels[row.code]
            if levels[code].counts_for_coverage and rng.random() < 0.4:
                # Some history: the step before, months earlier.
                step = max(
                    (lv for lv in levels.values() if lv.rank < levels[code].rank),
                    key=lambda lv: lv.rank,
                )
                earlier = on - datetime.timedelta(days=rng.randrange(60, 300))
                if earlier >= person.hire_date:
                    self._record(person, row, step, earlier, assessor)
            self._record(person, row, levels[code], on, assessor)
            covered = covered or (station in row.workstations and code in "UO")
        if (
            covered
            and station is not None
            and person.pk not in self.held_back
            and rng.random() < 0.85
        ):
            competence_services.work_release_grant(
                employee=person,
                workstation=person.workstation,  # type: ignore[arg-type]  # station is set
                released_on=today - datetime.timedelta(days=rng.randrange(10, 400)),
                by=self.admin,
            )

    def _record(
        self,
        person: Employee,
        row: data.CompetenceRow,
        level: Level,
        on: datetime.date,
        assessor: Employee,
    ) -> None:
        on = max(on, person.hire_date)
        valid_until = None
        if row.validity_months:
            valid_until = on + datetime.timedelta(days=row.validity_months * 30)
        competence_services.assessment_record(
            employee=person,
            competence=self.competences[row.code],
            level=level,
            assessed_on=on,
            by=self.admin,
            assessor=assessor,
            method="certificate" if row.validity_months else "observation",
            valid_until=valid_until,
        )

    def _changeover(self, team: list[Employee]) -> None:
        """The brochure's example: about 43 % of the early shift could change formats on their
        own; after a training five months ago about 65 % can (coverage over time)."""
        row = next((r for r in self.rows if r.code == data.CHANGEOVER), None)
        if row is None or not team:
            return
        levels = self.levels[row.code]
        this_month = self.today.replace(day=1)
        first = _month_start(this_month, -5)  # the month of the training
        training = first + datetime.timedelta(days=3)
        # Operators and line leads first, then the longest-serving packers.
        priority = {"LIJNV": 0, "PLB": 0, "OPVUL": 1, "PRVP": 2}
        waiting = sorted(
            (p for p in team if self._assessor(p) is not None),
            key=lambda p: (
                priority.get(p.job.code if p.job else "", 3),
                p.person_type != "employee",
                p.hire_date,
                p.pk,
            ),
        )
        learned: dict[int, datetime.date] = {}  # person -> day he reached U

        def cover(share: float, day: datetime.date, earliest: datetime.date | None) -> None:
            """Bring the team up to `share` on `day`: the next people hired in time reach U."""
            present = [p for p in team if p.hire_date <= day]
            for person in list(waiting):
                if len(learned) >= round(share * len(present)):
                    return
                on = earliest or day - datetime.timedelta(days=self.rng.randint(0, 20))
                if person.hire_date < on - datetime.timedelta(days=120):
                    learned[person.pk] = on
                    waiting.remove(person)

        # About 43 % all along the chart (24 months) up to the training, 65 % from then on.
        chart_start = _month_start(this_month, -23)
        cover(0.43, chart_start, chart_start - datetime.timedelta(days=self.rng.randint(60, 300)))
        month = chart_start
        while month < first:
            cover(0.43, _month_start(month, 1) - datetime.timedelta(days=1), None)
            month = _month_start(month, 1)
        trained = set(learned)
        cover(0.65, training + datetime.timedelta(days=20), training)
        for person in team:
            assessor = self._assessor(person)
            if assessor is None:
                continue
            day = learned.get(person.pk)
            if day is None:
                if person.hire_date < self.today - datetime.timedelta(days=60):
                    self._record(person, row, levels[self.rng.choice("IL")], training, assessor)
                continue
            if person.pk not in trained:  # at the training: from I to U
                day += datetime.timedelta(days=self.rng.randint(0, 12))
                self._record(person, row, levels["I"], day - datetime.timedelta(days=200), assessor)
                self._record(person, row, levels["U"], day, assessor)
                continue
            before = day - datetime.timedelta(days=self.rng.randint(90, 120))
            self._record(person, row, levels["L"], before, assessor)
            self._record(person, row, levels[self.rng.choice("UUO")], day, assessor)

    def _self_assessments(self) -> None:
        """The demo people with a log-in who work on the floor give their own view, one level
        above the official one where there is room: the manager sees both side by side."""
        for role in (Role.EMPLOYEE, Role.MENTOR, Role.CONSULTATION):
            known = self.state.people.get(role)
            if known is None:
                continue
            person = Employee.objects.select_related("user", "organisation").get(pk=known.pk)
            if person.user is None:
                continue
            person.user.access = load_access(person.user, self.state.organisation.pk)
            latest: dict[int, Assessment] = {}
            for assessment in (
                Assessment.objects.filter(employee=person, is_self=False)
                .select_related("competence", "level")
                .order_by("assessed_on", "created_at", "id")
            ):
                latest[assessment.competence_id] = assessment
            for index, assessment in enumerate(
                sorted(latest.values(), key=lambda a: a.competence.code)[:3]
            ):
                levels = self.levels[assessment.competence.code]
                above = [lv for lv in levels.values() if lv.rank == assessment.level.rank + 1]
                level = above[0] if above and index != 1 else assessment.level
                competence_services.assessment_record(
                    employee=person,
                    competence=assessment.competence,
                    level=level,
                    assessed_on=self.today - datetime.timedelta(days=3 + index),
                    by=person.user,
                    method="self_assessment",
                    note="Ik doe dit al zelfstandig sinds de laatste opleiding."
                    if level != assessment.level
                    else "",
                )

    def _transfer_plans(self, people: list[Employee]) -> None:
        """Transfer plans for the competence held only by people about to leave: a successor in
        tandem with the oldest holder, and a written work instruction."""
        row = next((r for r in self.rows if r.seniors_only), None)
        if row is None:
            return
        competence = self.competences[row.code]
        current: dict[int, tuple[int, bool]] = {}  # person -> (rank, covers) of his level
        for employee_id, rank, covers in (
            Assessment.objects.filter(competence=competence, is_self=False)
            .order_by("assessed_on", "created_at", "id")
            .values_list("employee_id", "level__rank", "level__counts_for_coverage")
        ):
            current[employee_id] = (rank, covers)
        sauce = [p for p in people if p.job and p.job.code == "SAUSB"]
        holders = sorted(
            (p for p in sauce if current.get(p.pk, (0, False))[1]),
            key=lambda p: (p.birth_date, p.pk),
        )
        # The successor: the furthest of the sauce makers who stay (the youngest on a tie).
        learners = sorted(
            (p for p in sauce if p.pk not in self.leaving and p.person_type == "employee"),
            key=lambda p: (
                -current.get(p.pk, (-1, False))[0],
                -(p.birth_date or self.today).toordinal(),
                p.pk,
            ),
        )
        if not holders or not learners:
            return
        org = self.state.organisation
        tandem = transfer_services.transfer_plan_create(
            organisation=org,
            by=self.admin,
            competence=competence,
            method="tandem",
            holder=holders[0],
            successor=learners[0],
            due_on=self.today + datetime.timedelta(days=150),
            note="Elke vrijdag samen aan ketel 3; daarna assessment op U.",
        )
        transfer_services.transfer_plan_set_status(plan=tandem, by=self.admin, status="in_progress")
        # The tandem has started: the successor now cooks it with the holder beside him.
        assessor = self._assessor(learners[0])
        if assessor is not None and current.get(learners[0].pk, (-1, False))[0] < 2:
            day = self.today - datetime.timedelta(days=20)
            self._record(learners[0], row, self.levels[row.code]["L"], day, assessor)
        transfer_services.transfer_plan_create(
            organisation=org,
            by=self.admin,
            competence=competence,
            method="instruction",
            holder=holders[-1],
            due_on=self.today + datetime.timedelta(days=75),
            note="Werkinstructie met foto's van elke stap, nagelezen door de kwaliteitsdienst.",
        )


def _month_start(month: datetime.date, months: int) -> datetime.date:
    """The first day of the month `months` after (or before) the month of `month`."""
    year, index = divmod(month.year * 12 + month.month - 1 + months, 12)
    return datetime.date(year, index + 1, 1)


class _OnboardingBuilder:
    """Onboarding templates and stories (#5): a company-wide template and one per function.

    Voedingsbedrijf X: the demo employee (three months in) follows her plan with a peter/meter
    from her team, and a newcomer without a designated guide shows on the compliance page.
    Transportbedrijf X: a new driver rides along with a senior driver, as in the brochure.
    """

    def __init__(self, state: _OrgState, admin: User, today: datetime.date) -> None:
        self.state = state
        self.admin = admin
        self.today = today

    def build(self) -> None:
        org = self.state.organisation
        is_transport = self.is_transport = self.state.spec is data.TRANSPORTBEDRIJF_X
        self._templates()
        onboarding_services.approval_record(
            organisation=org,
            by=self.admin,
            body="union_delegation" if is_transport else "works_council",
            meeting_date=self.today - datetime.timedelta(days=200),
            note="Onthaalprocedure met peter/meter goedgekeurd.",
        )
        if is_transport:
            self._new_driver()
        else:
            self._food_newcomers()
        # Each part of the onboarding module adds its piece of the story (pool before matching,
        # guides before the record and the reviews).
        from leerplek.demo import (
            onboarding_guidance,
            onboarding_matching,
            onboarding_metrics,
            onboarding_plan,
            onboarding_pool,
            onboarding_record,
            onboarding_reviews,
        )

        for part in (
            onboarding_pool,
            onboarding_matching,
            onboarding_guidance,
            onboarding_plan,
            onboarding_record,
            onboarding_metrics,
            # Last: it plans and holds the reviews of every onboarding the others started.
            onboarding_reviews,
        ):
            part.build(self)

    def _task(self, template: OnboardingTemplate, row: tuple[Any, ...]) -> None:
        section, title, owner, offset, how, floor, *rest = row
        onboarding_services.template_task_save(
            template=template,
            by=self.admin,
            section=section,
            title=title,
            owner=owner,
            offset_days=offset,
            how=how,
            on_work_floor=floor,
            duration_days=rest[0] if rest else 1,
        )

    def _templates(self) -> None:
        org = self.state.organisation
        company = onboarding_services.template_create(
            organisation=org,
            by=self.admin,
            name=f"Onthaal {org.name}",
            description="Het bedrijfsdeel dat elke nieuwe medewerker volgt.",
        )
        for row in data.ONBOARDING_COMPANY_TASKS:
            self._task(company, row)
        for job in self.state.jobs.values():
            template = onboarding_services.template_create(
                organisation=org,
                by=self.admin,
                name=f"Inwerken {job.name}",
                job=job,
                duration_months=job.months_to_independence,
            )
            rows = data.ONBOARDING_JOB_TASKS.get(job.code, data.ONBOARDING_DEFAULT_JOB_TASKS)
            for row in rows:
                section, title, *rest = row
                self._task(template, (section, title.format(job=job.name), *rest))

    def _senior(self, unit_key: str, job_code: str, exclude: Employee) -> Employee:
        """The colleague with the longest service in the unit and function."""
        senior = (
            Employee.objects.active(self.today)
            .filter(
                organisation=self.state.organisation,
                unit=self.state.units[unit_key],
                job=self.state.jobs[job_code],
            )
            .exclude(pk=exclude.pk)
            .order_by("hire_date", "employee_number")
            .first()
        )
        assert senior is not None, f"the demo data has no {job_code} in {unit_key}"
        return senior

    def _follow(self, onboarding: Onboarding, leave_open: int = 1) -> None:
        """Tick the tasks due more than three days ago, leaving the last `leave_open` overdue."""
        due = list(
            onboarding.tasks.filter(due_on__lt=self.today - datetime.timedelta(days=3)).order_by(
                "due_on", "id"
            )
        )
        for task in due[: max(len(due) - leave_open, 0)]:
            onboarding_services.task_mark_done(task=task, by=self.admin, done_on=task.due_on)

    def _food_newcomers(self) -> None:
        newcomer = self.state.people[Role.EMPLOYEE]
        organiser = self.state.people[Role.MANAGER]
        plan = onboarding_services.onboarding_start(
            employee=newcomer,
            by=self.admin,
            reason=OnboardingReason.NEW_HIRE,
            start_date=newcomer.hire_date,
            organiser=organiser,
        )
        # The demo peter/meter log-in guides her, so "a mentor sees his mentees" shows; the
        # senior of her shift is the backup.
        onboarding_services.guide_designate(
            learner=newcomer,
            guide=self.state.people[Role.MENTOR],
            by=self.admin,
            onboarding=plan,
            reason="Ervaren collega; spreekt Engels.",
        )
        onboarding_services.guide_designate(
            learner=newcomer,
            guide=self._senior("verp-vroeg", "PRVP", newcomer),
            by=self.admin,
            onboarding=plan,
            is_backup=True,
            reason="Zelfde ploeg en functie.",
        )
        self._follow(plan)
        # The latest hire after her, in another team, waits for a peter/meter: the compliance
        # page shows him.
        alone = (
            Employee.objects.active(self.today)
            .filter(organisation=self.state.organisation, job__isnull=False)
            .exclude(unit=newcomer.unit)
            .exclude(user__isnull=False)
            .order_by("-hire_date", "employee_number")
            .first()
        )
        if alone is not None:
            onboarding_services.onboarding_start(
                employee=alone,
                by=self.admin,
                reason=OnboardingReason.INTERNAL_MOVE,
                start_date=self.today - datetime.timedelta(days=3),
                organiser=organiser,
            )

    def _new_driver(self) -> None:
        org = self.state.organisation
        driver = services.employee_create(
            organisation=org,
            by=self.admin,
            job=self.state.jobs["CHCE"],
            unit=self.state.units["chauf-nat"],
            workstation=self.state.workstations["BAK"],
            manager=self.state.leaders.get("chauf-nat"),
            employee_number="TX9001",
            first_name="Kevin",
            last_name="Claes",
            email="kevin.claes@transportbedrijf-x.demo",
            gender="m",
            birth_date=self.today - datetime.timedelta(days=int(24 * 365.25)),
            # About three months in: two monthly reviews held and the third overdue (ONB-06).
            hire_date=self.today - datetime.timedelta(days=100),
            languages="nl",
        )
        plan = onboarding_services.onboarding_start(
            employee=driver,
            by=self.admin,
            reason=OnboardingReason.NEW_HIRE,
            start_date=driver.hire_date,
            organiser=driver.manager or self.state.people[Role.HR],
        )
        peter = self._senior("chauf-nat", "CHCE", driver)
        if peter.phone == "":
            # The newcomer's page offers to call his peter: the demo gives him a number.
            services.employee_update(employee=peter, by=self.admin, phone="0470 11 22 33")
        onboarding_services.guide_designate(
            learner=driver,
            guide=peter,
            by=self.admin,
            onboarding=plan,
            reason="Ervaren chauffeur nationaal transport; rijdt de bakwagen.",
        )
        self._follow(plan)


def _chain(moves: Iterable[Move], start: str, goal: str) -> list[Move] | None:
    """The shortest list of moves from function `start` to `goal` ([] when equal)."""
    paths: dict[str, list[Move]] = {start: []}
    frontier = [start]
    moves = list(moves)
    while frontier:
        current = frontier.pop(0)
        if current == goal:
            return paths[current]
        for move in moves:
            if move.source == current and move.target not in paths:
                paths[move.target] = [*paths[current], move]
                frontier.append(move.target)
    return None


# --- Schaal NV: the scale data set ---------------------------------------------------------------


@dataclass
class ScaleResult:
    built: bool
    seconds: float
    counts: dict[str, int]


# Raise when the scale data set changes shape, so that a stored one is rebuilt, not measured.
# 2: competences, requirements, assessments and releases (issue #4).
# 3: onboardings with tasks, guides and progress reviews (issue #5, `scale_onboarding`).
# 6: training plans for last year and this year, linked to their activities (issue #7).
SCALE_VERSION = 6
ASSESSMENTS_PER_PERSON = 30


def scale_exists() -> bool:
    return Organisation.objects.filter(slug=data.SCALE_SLUG).exists()


def scale_version(org: Organisation) -> int:
    """The version of the builder that made `org` (1 before versions were recorded)."""
    entry = (
        AuditEntry.objects.filter(organisation_id=org.pk, action="demo.scale_generated")
        .order_by("-id")
        .first()
    )
    after = entry.after if entry is not None and isinstance(entry.after, dict) else {}
    return int(after.get("version", 1))


def scale_build(
    *,
    people: int = 10_000,
    units: int = 200,
    functions: int = 400,
    workstations: int = 1_000,
    competences: int = 1_500,
    assessments: int | None = None,
    onboardings: int = scale_onboarding.ONBOARDINGS,
    instructions: int | None = None,
    programme_assignments: int | None = None,
    certificates: int | None = None,
    learning_activities: int | None = None,
    reset: bool = False,
    today: datetime.date | None = None,
) -> ScaleResult:
    """Create the benchmark organisation Schaal NV in bulk, unless present (see `reset`).

    Rows are written with `bulk_create`, not the services, and one audit entry summarises the
    generation (with `SCALE_VERSION`). The unit paths are computed level by level from the ids
    the database gave. `assessments` defaults to 30 per person (300,000 for 10,000 people).
    """
    started = time.perf_counter()
    existing = Organisation.objects.filter(slug=data.SCALE_SLUG).first()
    if existing is not None and not reset:
        return ScaleResult(
            built=False, seconds=time.perf_counter() - started, counts=_scale_counts(existing)
        )
    if assessments is None:
        assessments = ASSESSMENTS_PER_PERSON * people
    # On-the-job training in proportion (10,000 people and 1,000 workstations: 2,000
    # instructions, 50,000 programme assignments, 100,000 certificates).
    if instructions is None:
        instructions = scale_training.INSTRUCTIONS_PER_WORKSTATION * workstations
    if programme_assignments is None:
        programme_assignments = scale_training.ASSIGNMENTS_PER_PERSON * people
    if certificates is None:
        certificates = scale_training.CERTIFICATES_PER_PERSON * people
    # Learning registrations (#7): 10 activities a person over ten years, about ten participants
    # each (1,000,000 registrations for 10,000 people).
    if learning_activities is None:
        learning_activities = scale_registration.ACTIVITIES_PER_PERSON * people
    with transaction.atomic():
        if existing is not None:
            _scale_competences_delete(existing)
            scale_registration.delete(existing)
            scale_training.delete(existing)
            scale_onboarding.delete(existing)
            organisation_delete(organisation=existing, by=None)
        User.objects.filter(email=SCALE_HR_EMAIL).delete()
        generator = _ScaleBuilder(
            today or timezone.localdate(),
            people=max(people, units),
            units=max(units, 1),
            functions=max(functions, 1),
            workstations=workstations,
            competences=max(competences, 1),
            assessments=max(assessments, 0),
            onboardings=max(onboardings, 0),
            instructions=max(instructions, 0),
            programme_assignments=max(programme_assignments, 0),
            certificates=max(certificates, 0),
            learning_activities=max(learning_activities, 0),
        )
        org = generator.build()
        counts = _scale_counts(org)
        seconds = time.perf_counter() - started
        audit.record(
            actor=None,
            action="demo.scale_generated",
            obj=org,
            after={
                **counts,
                "seed": SEED,
                "seconds": round(seconds, 1),
                "version": SCALE_VERSION,
            },
        )
    return ScaleResult(built=True, seconds=time.perf_counter() - started, counts=counts)


def _scale_counts(org: Organisation) -> dict[str, int]:
    from leerplek.competences.models import Assessment, Competence, Requirement

    return {
        "units": OrgUnit.objects.filter(organisation=org).count(),
        "functions": Job.objects.filter(organisation=org).count(),
        "workstations": Workstation.objects.filter(organisation=org).count(),
        "people": Employee.objects.filter(organisation=org).count(),
        "competences": Competence.objects.filter(organisation=org).count(),
        "requirements": Requirement.objects.filter(organisation=org).count(),
        "assessments": Assessment.objects.filter(organisation=org).count(),
        **scale_onboarding.counts(org),
        **scale_training.counts(org),
        **scale_registration.counts(org),
    }


def _scale_competences_delete(org: Organisation) -> None:
    """Delete Schaal NV's competence rows in bulk, leaves first (levels are protected), so that
    deleting the people does not collect 300,000 assessments one cascade at a time."""
    from leerplek.competences import models as m

    for model in (
        m.Assessment,
        m.WorkRelease,
        m.TrainingNeed,
        m.TransferPlan,
        m.Requirement,
        m.Competence,
        m.CompetenceGroup,
    ):
        # Nothing depends on the first ones: one DELETE statement each ("fast delete").
        model.objects.filter(organisation=org).delete()
    m.Level.objects.filter(scale__organisation=org).delete()
    m.LevelScale.objects.filter(organisation=org).delete()


# Share of the units on each level below the top (the rest go to the deepest level).
_LEVEL_SHARES = (0.03, 0.15, 0.45)
_LEVEL_KINDS = (UnitKind.SITE, UnitKind.SITE, UnitKind.DEPARTMENT, UnitKind.TEAM, UnitKind.CELL)
_SCALE_TYPES = {
    PersonType.EMPLOYEE: 820,
    PersonType.AGENCY: 100,
    PersonType.APPRENTICE: 15,
    PersonType.VDAB_TRAINEE: 15,
    PersonType.INTERN: 15,
    PersonType.IBO: 10,
    PersonType.JOB_SEEKER: 10,
    PersonType.EXTERNAL_TRAINER: 15,
}


class _ScaleBuilder:
    def __init__(
        self,
        today: datetime.date,
        *,
        people: int,
        units: int,
        functions: int,
        workstations: int,
        competences: int,
        assessments: int,
        onboardings: int = 0,
        instructions: int = 0,
        programme_assignments: int = 0,
        certificates: int = 0,
        learning_activities: int = 0,
    ) -> None:
        self.today = today
        self.rng = random.Random(SEED)
        self.size = {
            "people": people,
            "units": units,
            "functions": functions,
            "workstations": workstations,
            "competences": competences,
            "assessments": assessments,
            "onboardings": onboardings,
            "instructions": instructions,
            "programme_assignments": programme_assignments,
            "certificates": certificates,
            "learning_activities": learning_activities,
        }

    def build(self) -> Organisation:
        org = Organisation.objects.create(
            name=data.SCALE_NAME,
            slug=data.SCALE_SLUG,
            sector="Voedingsindustrie",
            joint_committee="118",
            training_fund="Alimento",
            is_sme=False,
        )
        levels = self._units(org)
        jobs = self._jobs(org)
        all_units = [unit for level in levels for unit in level]
        stations = self._workstations(org, all_units)
        self._people(org, levels, jobs, stations)
        _ScaleCompetences(
            org,
            self.today,
            competences=self.size["competences"],
            assessments=self.size["assessments"],
        ).build()
        # Its own random stream, so the onboardings leave the people and competences unchanged.
        scale_onboarding.build(
            org, self.today, random.Random(SEED + 5), onboardings=self.size["onboardings"]
        )
        scale_training.build(
            org,
            self.today,
            random.Random(SEED + 6),
            instructions=self.size["instructions"],
            assignments=self.size["programme_assignments"],
            certificates=self.size["certificates"],
        )
        scale_registration.build(
            org,
            self.today,
            random.Random(SEED + 7),
            activities=self.size["learning_activities"],
        )
        hr = User.objects.create_user(
            SCALE_HR_EMAIL,
            DEMO_PASSWORD,
            first_name="Hanne",
            last_name="Schaal",
            current_organisation=org,
        )
        RoleGrant.objects.create(organisation=org, user=hr, role=Role.HR)
        return org

    def _level_sizes(self) -> list[int]:
        total = self.size["units"]
        sizes = [1]
        for share in _LEVEL_SHARES:
            if sum(sizes) >= total:
                break
            sizes.append(min(max(1, round(total * share)), total - sum(sizes)))
        if total - sum(sizes) > 0:
            sizes.append(total - sum(sizes))
        return sizes

    def _units(self, org: Organisation) -> list[list[OrgUnit]]:
        """Insert the tree level by level; each level's paths need its parents' ids."""
        rng = self.rng
        levels: list[list[OrgUnit]] = []
        for depth, size in enumerate(self._level_sizes()):
            parents: list[OrgUnit | None] = list(levels[-1]) if levels else [None]
            names: dict[int | None, set[str]] = defaultdict(set)
            rows: list[OrgUnit] = []
            for index in range(size):
                # Every parent gets a child before any gets a second one.
                parent = (
                    parents[index % len(parents)] if index < len(parents) else rng.choice(parents)
                )
                parent_id = parent.pk if parent else None
                name = self._unit_name(rng, depth, index)
                base, n = name, 1
                while name in names[parent_id]:
                    n += 1
                    name = f"{base} {n}"
                names[parent_id].add(name)
                rows.append(
                    OrgUnit(
                        organisation=org,
                        parent=parent,
                        name=name,
                        code=f"U{depth}{index:04d}",
                        kind=_LEVEL_KINDS[min(depth, len(_LEVEL_KINDS) - 1)],
                    )
                )
            OrgUnit.objects.bulk_create(rows, batch_size=500)
            # Read the ids back by the unique code rather than trusting what the backend returned.
            ids = dict(
                OrgUnit.objects.filter(
                    organisation=org, code__in=[r.code for r in rows]
                ).values_list("code", "pk")
            )
            for row in rows:
                row.pk = ids[row.code]
                row.path = f"{row.parent.path if row.parent else '/'}{row.pk}/"
                row.depth = row.path.count("/") - 2
            OrgUnit.objects.bulk_update(rows, ["path", "depth"], batch_size=500)
            levels.append(rows)
        return levels

    @staticmethod
    def _unit_name(rng: random.Random, depth: int, index: int) -> str:
        if depth == 0:
            return data.SCALE_NAME
        if depth == 1:
            return f"Site {data.SCALE_SITES[index % len(data.SCALE_SITES)]}"
        if depth == 2:
            return rng.choice(data.SCALE_DEPARTMENTS)
        if depth == 3:
            return rng.choice(data.SCALE_TEAMS)
        return f"Cel {index % 9 + 1}"

    def _jobs(self, org: Organisation) -> list[Job]:
        rng = self.rng
        rows = []
        for index in range(self.size["functions"]):
            base = data.SCALE_JOB_BASES[index % len(data.SCALE_JOB_BASES)]
            level = index // len(data.SCALE_JOB_BASES) + 1
            rows.append(
                Job(
                    organisation=org,
                    code=f"J{index + 1:04d}",
                    name=f"{base} niveau {level}",
                    description=f"{base}, functieniveau {level}.",
                    classification=f"Klasse {'ABCDE'[level % 5]}",
                    months_to_independence=rng.choice([1, 2, 3, 4, 6, 9, 12]),
                )
            )
        Job.objects.bulk_create(rows, batch_size=500)
        ids = dict(Job.objects.filter(organisation=org).values_list("code", "pk"))
        for row in rows:
            row.pk = ids[row.code]
        kinds = [TaskKind.PREPARATORY, TaskKind.EXECUTIVE, TaskKind.SUPPORTING]
        JobTask.objects.bulk_create(
            (
                JobTask(job=row, kind=kind, description=f"{row.name}: taak {n + 1}", position=n)
                for row in rows
                for n, kind in enumerate(kinds)
            ),
            batch_size=1000,
        )
        return rows

    def _workstations(self, org: Organisation, units: list[OrgUnit]) -> dict[int, list[int]]:
        rng = self.rng
        floor = [unit for unit in units if unit.depth >= 2] or units
        rows = []
        for index in range(self.size["workstations"]):
            machine = rng.choice(data.SCALE_MACHINES)
            rows.append(
                Workstation(
                    organisation=org,
                    unit=rng.choice(floor),
                    code=f"W{index + 1:05d}",
                    name=f"{machine} {index + 1}",
                    is_machine=machine not in {"Weegstation"},
                    difficulty_rank=rng.randint(1, 10),
                )
            )
        Workstation.objects.bulk_create(rows, batch_size=1000)
        ids = dict(Workstation.objects.filter(organisation=org).values_list("code", "pk"))
        by_unit: dict[int, list[int]] = defaultdict(list)
        for row in rows:
            by_unit[row.unit.pk].append(ids[row.code])
        return by_unit

    def _people(
        self,
        org: Organisation,
        levels: list[list[OrgUnit]],
        jobs: list[Job],
        stations: dict[int, list[int]],
    ) -> None:
        rng, today = self.rng, self.today
        units = [unit for level in levels for unit in level]
        floor = [unit for unit in units if unit.depth >= 2] or units
        # Deeper units hold more people; each unit's first person is its leader.
        weights = [1 + unit.depth * 2 for unit in floor]
        targets = units + rng.choices(floor, weights=weights, k=self.size["people"] - len(units))
        types = list(_SCALE_TYPES)
        type_weights = [_SCALE_TYPES[t] for t in types]
        origins = list(data.ORIGIN_MIX[PersonType.EMPLOYEE])
        origin_weights = [data.ORIGIN_MIX[PersonType.EMPLOYEE][o] for o in origins]
        rows: list[Employee] = []
        for index, unit in enumerate(targets):
            leader = index < len(units)
            person_type = PersonType.EMPLOYEE if leader else rng.choices(types, type_weights)[0]
            origin = rng.choices(origins, origin_weights)[0]
            names = data.ORIGINS[origin]
            gender = rng.choice([Gender.MALE, Gender.FEMALE])
            first = rng.choice(names.female if gender == Gender.FEMALE else names.male)
            last = rng.choice(names.last)
            age = rng.randint(*data.AGE_RANGE[person_type]) if not leader else rng.randint(35, 62)
            birth = _years_ago(today, age) - datetime.timedelta(days=rng.randrange(365))
            if person_type == PersonType.EMPLOYEE:
                hire = _years_ago(today, rng.uniform(0.1, min(25, age - 18)))
            else:
                days = rng.randint(*data.HIRED_DAYS_AGO[person_type])
                hire = today - datetime.timedelta(days=days)
            exit_date = None
            exit_reason = ""
            if not leader and rng.random() < 0.06:
                exit_date = min(today, hire + datetime.timedelta(days=rng.randint(30, 2000)))
                exit_reason = rng.choice(ExitReason.values)
            languages, dutch = _draw_languages(rng, origin)
            on_site = stations.get(unit.pk)
            rows.append(
                Employee(
                    organisation=org,
                    employee_number=f"S{index + 1:05d}",
                    first_name=first,
                    last_name=last,
                    email=f"{_email_local(first, last)}.{index + 1}@{data.SCALE_SLUG}.demo"
                    if index % 10 == 0
                    else "",
                    person_type=person_type,
                    gender=gender,
                    birth_date=birth,
                    hire_date=hire,
                    exit_date=exit_date,
                    exit_reason=exit_reason,
                    experience_years=Decimal(f"{(today - hire).days / 365.25:.1f}"),
                    languages=languages,
                    dutch_level=dutch,
                    unit=unit,
                    job=None if person_type == PersonType.EXTERNAL_TRAINER else rng.choice(jobs),
                    workstation_id=rng.choice(on_site) if on_site and not leader else None,
                )
            )
        Employee.objects.bulk_create(rows, batch_size=1000)
        ids = dict(Employee.objects.filter(organisation=org).values_list("employee_number", "pk"))
        for row in rows:
            row.pk = ids[row.employee_number]
        JobAssignment.objects.bulk_create(
            (
                JobAssignment(
                    employee=row,
                    job=row.job,
                    unit=row.unit,
                    start_date=row.hire_date,
                    reason=AssignmentReason.HIRE,
                )
                for row in rows
                if row.job is not None
            ),
            batch_size=1000,
        )
        # Leaders, then everyone's manager in one statement: the leader of his own unit.
        for unit, head in zip(units, rows, strict=False):
            unit.leader = head
        OrgUnit.objects.bulk_update(units, ["leader"], batch_size=500)
        Employee.objects.filter(organisation=org).update(
            manager=Subquery(OrgUnit.objects.filter(pk=OuterRef("unit_id")).values("leader_id"))
        )
        # A leader reports to the leader of the unit above (the top leader to nobody).
        leaders = []
        for unit, head in zip(units, rows, strict=False):
            head.manager = unit.parent.leader if unit.parent else None
            leaders.append(head)
        Employee.objects.bulk_update(leaders, ["manager"], batch_size=500)


class _ScaleCompetences:
    """The competence catalogue, requirements, assessments and releases of Schaal NV, in bulk.

    Drawn with their own seeded generator, after the people, so the people stay the same. About
    one competence in eleven belongs to the functions (every function requires four of them); the
    rest belong to the workstations (three each), so a team's matrix spans about a hundred
    competences and a department's a few hundred. Each person gets an equal share of the
    assessments: most of what he needs (with some gaps and some history), the rest on the
    workstations of his unit and the functions' competences, as a polyvalent worker would.
    Certificates run 12 to 36 months, so some have expired. Some older people and some planned
    exits give the retention list something to show.
    """

    JOB_SHARE = 130 / 1_500  # share of the catalogue the functions draw from
    PER_JOB = 4
    PER_STATION = 3
    BATCH = 20_000

    def __init__(
        self,
        org: Organisation,
        today: datetime.date,
        *,
        competences: int,
        assessments: int,
    ) -> None:
        self.org = org
        self.today = today
        self.rng = random.Random(SEED + 10)
        self.size = {"competences": competences, "assessments": assessments}

    def build(self) -> None:
        from leerplek.competences.models import (
            Assessment,
            AssessmentMethod,
            Competence,
            CompetenceKind,
            Level,
            Requirement,
            WorkRelease,
        )

        org, rng = self.org, self.rng
        scale = competence_services.default_scale(org)
        levels = list(Level.objects.filter(scale=scale).order_by("rank"))
        by_code = {level.code: level for level in levels}
        CompetenceGroup.objects.bulk_create(
            CompetenceGroup(organisation=org, name=name) for name in data.SCALE_COMPETENCE_GROUPS
        )
        groups = list(CompetenceGroup.objects.filter(organisation=org).order_by("pk"))
        total = self.size["competences"]
        job_pool = max(1, min(total, round(total * self.JOB_SHARE)))
        rows = []
        for index in range(total):
            group = groups[index % len(groups)]
            if index < job_pool:
                name = f"{group.name}: basis {index + 1}"
                kind = rng.choice([CompetenceKind.GENERAL] * 3 + [CompetenceKind.ATTITUDE])
            else:
                machine = data.SCALE_MACHINES[index % len(data.SCALE_MACHINES)]
                skill = data.SCALE_SKILLS[(index // len(data.SCALE_MACHINES)) % 8]
                name = f"{machine} {skill} {index + 1}"
                kind = CompetenceKind.TECHNICAL
            rows.append(
                Competence(
                    organisation=org, code=f"K{index + 1:04d}", name=name, kind=kind, group=group
                )
            )
        Competence.objects.bulk_create(rows, batch_size=1000)
        ids = dict(Competence.objects.filter(organisation=org).values_list("code", "pk"))
        competence_ids = [ids[row.code] for row in rows]
        # One competence in ten needs a certificate that runs out.
        validity = {cid: rng.choice([12, 24, 36]) for cid in competence_ids if rng.random() < 0.1}
        job_comps = competence_ids[:job_pool]
        station_comps = competence_ids[job_pool:] or job_comps
        required_rank = {"L": 2, "U": 3, "O": 4}

        def requirement(competence_id: int, ideal: int, **target: int) -> Requirement:
            code = rng.choices(["L", "U", "O"], [25, 60, 15])[0]
            return Requirement(
                organisation=org,
                competence_id=competence_id,
                level=by_code[code],
                mandatory=rng.random() < 0.9,
                validity_months=validity.get(competence_id),
                ideal_count=ideal,
                **target,
            )

        needs: dict[tuple[str, int], dict[int, int]] = defaultdict(dict)
        requirements = []
        for job_id in (
            Job.objects.filter(organisation=org).order_by("pk").values_list("pk", flat=True)
        ):
            for cid in rng.sample(job_comps, min(self.PER_JOB, len(job_comps))):
                requirements.append(requirement(cid, rng.randint(1, 6), job_id=job_id))
        station_units = dict(
            Workstation.objects.filter(organisation=org).order_by("pk").values_list("pk", "unit_id")
        )
        unit_comps: dict[int, list[int]] = defaultdict(list)
        for station_id, unit_id in station_units.items():
            for cid in rng.sample(station_comps, min(self.PER_STATION, len(station_comps))):
                requirements.append(requirement(cid, rng.randint(2, 4), workstation_id=station_id))
                unit_comps[unit_id].append(cid)
        Requirement.objects.bulk_create(requirements, batch_size=1000)
        for req in requirements:
            key = ("job", req.job_id) if req.job_id else ("station", req.workstation_id)
            needs[key][req.competence_id] = required_rank[req.level.code]  # type: ignore[index]
        # Rare know-how: only people near retirement or leaving hold these at U or O.
        rare = set(rng.sample(station_comps, max(1, len(station_comps) // 20)))
        leavers = self._retention()
        people = list(
            Employee.objects.filter(organisation=org)
            .order_by("pk")
            .values_list(
                "pk",
                "job_id",
                "workstation_id",
                "unit_id",
                "hire_date",
                "exit_date",
                "manager_id",
                "person_type",
            )
        )
        quota, extra = divmod(self.size["assessments"], max(1, len(people)))
        batch: list[Assessment] = []
        releases = []
        for index, (
            pk,
            job_id,
            station_id,
            unit_id,
            hire,
            exit_date,
            manager_id,
            ptype,
        ) in enumerate(people):
            end = min(self.today, exit_date) if exit_date else self.today
            required = {**needs.get(("job", job_id), {}), **needs.get(("station", station_id), {})}
            drawn = self._draws(
                quota + (1 if index < extra else 0),
                required,
                unit_comps.get(unit_id, []),
                job_comps,
                competence_ids,
                years=(end - hire).days / 365.25,
                rare=set() if pk in leavers else rare,
            )
            assessor = manager_id if manager_id != pk else None
            for cid, rank, back, is_self in drawn:
                on = max(hire, end - datetime.timedelta(days=back))
                months = validity.get(cid)
                batch.append(
                    Assessment(
                        organisation=org,
                        employee_id=pk,
                        competence_id=cid,
                        level=levels[rank],
                        assessed_on=on,
                        assessor_id=None if is_self else assessor,
                        method=AssessmentMethod.SELF_ASSESSMENT
                        if is_self
                        else AssessmentMethod.CERTIFICATE
                        if months
                        else AssessmentMethod.OBSERVATION,
                        valid_until=on + datetime.timedelta(days=months * 30) if months else None,
                        is_self=is_self,
                    )
                )
            if len(batch) >= self.BATCH:
                Assessment.objects.bulk_create(batch, batch_size=2000)
                batch = []
            if (
                station_id
                and exit_date is None
                and ptype != PersonType.EXTERNAL_TRAINER
                and rng.random() < 0.75
            ):
                releases.append(
                    WorkRelease(
                        organisation=org,
                        employee_id=pk,
                        workstation_id=station_id,
                        released_on=max(
                            hire, self.today - datetime.timedelta(days=rng.randrange(7, 900))
                        ),
                    )
                )
        Assessment.objects.bulk_create(batch, batch_size=2000)
        WorkRelease.objects.bulk_create(releases, batch_size=2000)

    def _draws(
        self,
        quota: int,
        required: dict[int, int],
        unit_comps: list[int],
        job_comps: list[int],
        everything: list[int],
        *,
        years: float,
        rare: set[int],
    ) -> list[tuple[int, int, int, bool]]:
        """`quota` assessments of one person as (competence, rank, days before his last day,
        self-assessment), oldest of a competence first so the newest row is the latest. On the
        `rare` competences he stays below U."""
        rng = self.rng
        latest: dict[int, tuple[int, int]] = {}  # competence: (rank, days back)
        history: list[tuple[int, int, int, bool]] = []
        budget = quota
        senior = years > 6
        for cid, needed in required.items():
            if budget <= 0:
                break
            if rng.random() < 0.12:
                continue  # a gap: never assessed
            if rng.random() < 0.75 or senior:
                rank = rng.randint(needed, 4)
            else:
                rank = rng.randint(0, needed - 1)
            latest[cid] = (rank, rng.randrange(0, 700))
            budget -= 1
        while budget > 0:
            if latest and budget >= 1 and rng.random() < 0.25:
                # History: an earlier, lower level on something assessed since.
                cid = rng.choice(list(latest))
                rank, back = latest[cid]
                history.append(
                    (cid, max(0, rank - 1), back + rng.randrange(60, 500), rng.random() < 0.05)
                )
                budget -= 1
                continue
            draw = rng.random()
            if unit_comps and draw < 0.5:
                cid = rng.choice(unit_comps)
            elif draw < 0.9:
                cid = rng.choice(job_comps)
            else:
                cid = rng.choice(everything)
            if cid in latest:
                continue
            latest[cid] = (rng.choice((0, 1, 1, 2, 2, 3, 3, 4)), rng.randrange(0, 900))
            budget -= 1
        drawn = history + [
            (cid, min(rank, 2) if cid in rare else rank, back, False)
            for cid, (rank, back) in latest.items()
        ]
        # Oldest first: the latest assessment of a competence is inserted last.
        drawn.sort(key=lambda d: -d[2])
        return drawn

    def _retention(self) -> set[int]:
        """Make some older employees near retirement and plan some exits; return their ids."""
        rng, today = self.rng, self.today
        employees = list(
            Employee.objects.filter(
                organisation=self.org, exit_date__isnull=True, person_type=PersonType.EMPLOYEE
            )
            .order_by("pk")
            .only("pk", "birth_date", "planned_exit_date", "hire_date")
        )
        changed = []
        for person in employees:
            draw = rng.random()
            if draw < 0.05 and (today - person.hire_date).days > 3 * 365:
                person.birth_date = _years_ago(today, rng.uniform(60.5, 64.9))
                changed.append(person)
            elif draw < 0.07:
                person.planned_exit_date = today + datetime.timedelta(days=rng.randrange(30, 700))
                changed.append(person)
        Employee.objects.bulk_update(changed, ["birth_date", "planned_exit_date"], batch_size=1000)
        return {person.pk for person in changed}
