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

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from leerplek.competences import services as competence_services
from leerplek.core import access_services, audit
from leerplek.core.access import load_access
from leerplek.core.models import RoleGrant
from leerplek.core.roles import Role
from leerplek.demo import data
from leerplek.demo.data import DemoPerson, Move, OrgSpec, Slot
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
        _CompetenceBuilder(food, admin, self.today).build()
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
    """The competence catalogue, requirements, assessments and releases of Voedingsbedrijf X.

    Drawn with its own seeded generator, so the people drawn before stay the same. Every team's
    matrix shows gaps; the vacuum emulsion at the sauce kitchen is held at U or higher only by
    people of 60 and over (the brochure's retention question).
    """

    def __init__(self, state: _OrgState, admin: User, today: datetime.date) -> None:
        self.state = state
        self.admin = admin
        self.today = today
        self.rng = random.Random(SEED + 4)

    def build(self) -> None:
        org = self.state.organisation
        # The administrator records everything; services check his role like anyone's.
        self.admin.access = load_access(self.admin, org.pk)
        scale = competence_services.default_scale(org)
        levels = {level.code: level for level in scale.levels.all()}
        rows = data.FOOD_COMPETENCES
        competences = {}
        for row in rows:
            competence = competence_services.competence_create(
                organisation=org, by=self.admin, code=row.code, name=row.name, kind=row.kind
            )
            competences[row.code] = competence
            targets: list[dict[str, Any]] = [{"job": self.state.jobs[code]} for code in row.jobs]
            targets += [{"workstation": self.state.workstations[code]} for code in row.workstations]
            for target in targets:
                competence_services.requirement_set(
                    competence=competence,
                    by=self.admin,
                    level=levels[row.level],
                    validity_months=row.validity_months,
                    ideal_count=row.ideal,
                    **target,
                )
        people = list(
            Employee.objects.active(self.today)
            .filter(organisation=org)
            .select_related("job", "workstation", "unit", "manager", "organisation")
            .order_by("employee_number")
        )
        for person in people:
            self._assess(person, rows, competences, levels)

    def _assess(
        self,
        person: Employee,
        rows: Sequence[data.CompetenceRow],
        competences: dict[str, Any],
        levels: dict[str, Any],
    ) -> None:
        rng, today = self.rng, self.today
        job = person.job.code if person.job else None
        station = person.workstation.code if person.workstation else None
        assessor = person.manager if person.manager_id != person.pk else None
        if assessor is None or person.user_id == self.admin.pk:
            return  # nobody to assess him, or the administrator himself
        years = (today - person.hire_date).days / 365.25
        age = (today - person.birth_date).days / 365.25 if person.birth_date else 40.0
        covered = False
        for row in rows:
            # Every sauce maker is assessed on the vacuum emulsion, whatever his kettle.
            sauce_maker = row.seniors_only and job == "SAUSB"
            if job not in row.jobs and station not in row.workstations and not sauce_maker:
                continue
            if rng.random() < 0.12 and not (row.seniors_only and age >= 60):
                continue  # not assessed yet: a gap in the matrix
            if row.seniors_only:
                code = rng.choice("UO") if age >= 60 else rng.choice("0IL")
            elif years < 1:
                code = rng.choice("0IIL")
            else:
                code = rng.choice("ILUUUOO" if years > 8 else "ILLUUU")
            on = today - datetime.timedelta(days=rng.randrange(20, 700))
            if code in "UO" and rng.random() < 0.4:
                # Some history: the step before, months earlier.
                self._record(
                    person,
                    competences[row.code],
                    levels["L"],
                    on - datetime.timedelta(days=rng.randrange(60, 300)),
                    assessor,
                    row,
                )
            self._record(person, competences[row.code], levels[code], on, assessor, row)
            covered = covered or (station in row.workstations and code in "UO")
        if covered and station is not None and rng.random() < 0.8:
            competence_services.work_release_grant(
                employee=person,
                workstation=person.workstation,  # type: ignore[arg-type]  # station is set
                released_on=today - datetime.timedelta(days=rng.randrange(10, 400)),
                by=self.admin,
            )

    def _record(
        self,
        person: Employee,
        competence: Any,
        level: Any,
        on: datetime.date,
        assessor: Employee,
        row: data.CompetenceRow,
    ) -> None:
        on = max(on, person.hire_date)
        valid_until = None
        if row.validity_months:
            # Drawn dates up to two years back: some certificates are about to run out.
            valid_until = on + datetime.timedelta(days=row.validity_months * 30)
        competence_services.assessment_record(
            employee=person,
            competence=competence,
            level=level,
            assessed_on=on,
            by=self.admin,
            assessor=assessor,
            method="certificate" if row.validity_months else "observation",
            valid_until=valid_until,
        )


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


def scale_exists() -> bool:
    return Organisation.objects.filter(slug=data.SCALE_SLUG).exists()


def scale_build(
    *,
    people: int = 10_000,
    units: int = 200,
    functions: int = 400,
    workstations: int = 1_000,
    reset: bool = False,
    today: datetime.date | None = None,
) -> ScaleResult:
    """Create the benchmark organisation Schaal NV in bulk, unless present (see `reset`).

    Rows are written with `bulk_create`, not the services, and one audit entry summarises the
    generation. The unit paths are computed level by level from the ids the database gave.
    """
    started = time.perf_counter()
    existing = Organisation.objects.filter(slug=data.SCALE_SLUG).first()
    if existing is not None and not reset:
        return ScaleResult(
            built=False, seconds=time.perf_counter() - started, counts=_scale_counts(existing)
        )
    with transaction.atomic():
        if existing is not None:
            organisation_delete(organisation=existing, by=None)
        User.objects.filter(email=SCALE_HR_EMAIL).delete()
        generator = _ScaleBuilder(
            today or timezone.localdate(),
            people=max(people, units),
            units=max(units, 1),
            functions=max(functions, 1),
            workstations=workstations,
        )
        org = generator.build()
        counts = _scale_counts(org)
        seconds = time.perf_counter() - started
        audit.record(
            actor=None,
            action="demo.scale_generated",
            obj=org,
            after={**counts, "seed": SEED, "seconds": round(seconds, 1)},
        )
    return ScaleResult(built=True, seconds=time.perf_counter() - started, counts=counts)


def _scale_counts(org: Organisation) -> dict[str, int]:
    return {
        "units": OrgUnit.objects.filter(organisation=org).count(),
        "functions": Job.objects.filter(organisation=org).count(),
        "workstations": Workstation.objects.filter(organisation=org).count(),
        "people": Employee.objects.filter(organisation=org).count(),
    }


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
        self, today: datetime.date, *, people: int, units: int, functions: int, workstations: int
    ) -> None:
        self.today = today
        self.rng = random.Random(SEED)
        self.size = {
            "people": people,
            "units": units,
            "functions": functions,
            "workstations": workstations,
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
