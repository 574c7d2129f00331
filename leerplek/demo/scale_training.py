"""On-the-job training of the scale data set (Schaal NV), written in bulk: `build(org, today, rng)`.

By default: 2,000 work instructions of 6 important steps (each with two key points, one of them
safety) on the workstations; 250 programmes, one approved version each, of two phases with four
modules (8 modules, the practical ones teaching an instruction); 50,000 programme assignments over
four years (most completed, the newest ones active); a confirmed two-party sign-off for every
module done (about 400,000); and 100,000 certificates (attests from the final tests, the rest
external), some about to expire. Rows go in with `bulk_create`, not the services, like the rest
of Schaal NV; the rules the services keep still hold: one active assignment per person and
version, the confirmer is never the learner, a sign-off hash over its content.
"""

from __future__ import annotations

import datetime
import hashlib
import random
from collections.abc import Iterator, Sequence
from itertools import islice

from django.utils import timezone

from leerplek.people.models import Employee, Job, Organisation, Workstation
from leerplek.training.models import (
    AssignmentStatus,
    Audience,
    Certificate,
    CertificateKind,
    InstructionHolder,
    InstructionStep,
    InstructionVersion,
    KeyPoint,
    KeyPointKind,
    Module,
    ModuleInstruction,
    ModuleKind,
    ModulePlan,
    Phase,
    Programme,
    ProgrammeAssignment,
    ProgrammeVersion,
    ReadRequest,
    Signoff,
    SignoffCapacity,
    StationCode,
    Test,
    TestKind,
    TestStatus,
    VersionStatus,
    WorkInstruction,
)
from leerplek.training.models.certificates import CODE_ALPHABET

INSTRUCTIONS_PER_WORKSTATION = 2
ASSIGNMENTS_PER_PERSON = 5
CERTIFICATES_PER_PERSON = 10
INSTRUCTIONS = 2_000
STEPS = 6
PROGRAMMES = 250
ASSIGNMENTS = 50_000
CERTIFICATES = 100_000
YEARS = 4
BATCH = 5_000

# Two phases of four modules: the Raffinaderij X shape in short.
MODULES = [
    (0, "Kennismaking met de werkpost", ModuleKind.KNOWLEDGE, 2),
    (0, "Veiligheid en milieu", ModuleKind.SAFETY, 1),
    (0, "Basiskennis procestechnieken", ModuleKind.ELEARNING, 3),
    (0, "Eerste handelingen onder toezicht", ModuleKind.PRACTICAL, 5),
    (1, "Kwaliteitszorg: product- en procescontrole", ModuleKind.PRACTICAL, 5),
    (1, "Storingen: symptoom, oorzaak, remedie", ModuleKind.PRACTICAL, 5),
    (1, "Klassikale opleiding procestechnieken", ModuleKind.CLASSROOM, 2),
    (1, "Zelfstandig aan de werkpost", ModuleKind.PRACTICAL, 10),
]
VERBS = ["Controleer", "Open", "Vul", "Sluit", "Meng", "Reinig", "Weeg", "Start", "Stop", "Noteer"]
OBJECTS = ["de klep", "de ketel", "het deksel", "de pomp", "de filter", "de band", "de weegschaal"]


def _batches(rows: Iterator[object], size: int = BATCH) -> Iterator[list[object]]:
    while chunk := list(islice(rows, size)):
        yield chunk


def delete(org: Organisation) -> None:
    """An organisation's training rows in bulk, children first, before the people go (Schaal NV,
    and any demo organisation that is reset)."""
    from leerplek.training.models import (
        ContentLanguage,
        PracticeSignal,
        RankingRound,
        TeachingSession,
    )

    Certificate.objects.filter(organisation=org).delete()
    TeachingSession.objects.filter(organisation=org).delete()
    PracticeSignal.objects.filter(organisation=org).delete()
    RankingRound.objects.filter(organisation=org).delete()
    Signoff.objects.filter(organisation=org).delete()
    ModulePlan.objects.filter(assignment__organisation=org).delete()
    ProgrammeAssignment.objects.filter(organisation=org).delete()
    Test.objects.filter(organisation=org).delete()
    ModuleInstruction.objects.filter(module__version__organisation=org).delete()
    Module.objects.filter(version__organisation=org).delete()
    Phase.objects.filter(version__organisation=org).delete()
    ProgrammeVersion.objects.filter(organisation=org).delete()
    Programme.objects.filter(organisation=org).delete()
    ReadRequest.objects.filter(organisation=org).delete()
    InstructionHolder.objects.filter(organisation=org).delete()
    KeyPoint.objects.filter(step__version__organisation=org).delete()
    InstructionStep.objects.filter(version__organisation=org).delete()
    InstructionVersion.objects.filter(organisation=org).delete()
    WorkInstruction.objects.filter(organisation=org).delete()
    StationCode.objects.filter(organisation=org).delete()
    ContentLanguage.objects.filter(organisation=org).delete()


def counts(org: Organisation) -> dict[str, int]:
    return {
        "work instructions": WorkInstruction.objects.filter(organisation=org).count(),
        "instruction steps": InstructionStep.objects.filter(version__organisation=org).count(),
        "programmes": Programme.objects.filter(organisation=org).count(),
        "programme assignments": ProgrammeAssignment.objects.filter(organisation=org).count(),
        "sign-offs": Signoff.objects.filter(organisation=org).count(),
        "certificates": Certificate.objects.filter(organisation=org).count(),
    }


def build(
    org: Organisation,
    today: datetime.date,
    rng: random.Random,
    *,
    instructions: int = INSTRUCTIONS,
    programmes: int = PROGRAMMES,
    assignments: int = ASSIGNMENTS,
    certificates: int = CERTIFICATES,
) -> None:
    _ScaleTraining(org, today, rng, instructions, programmes, assignments, certificates).build()


def _code(rng: random.Random) -> str:
    return "".join(rng.choice(CODE_ALPHABET) for _ in range(12))


class _ScaleTraining:
    def __init__(
        self,
        org: Organisation,
        today: datetime.date,
        rng: random.Random,
        instructions: int,
        programmes: int,
        assignments: int,
        certificates: int,
    ) -> None:
        self.org = org
        self.today = today
        self.rng = rng
        self.size = {
            "instructions": instructions,
            "programmes": programmes,
            "assignments": assignments,
            "certificates": certificates,
        }
        self.now = timezone.now()

    def build(self) -> None:
        stations = list(Workstation.objects.filter(organisation=self.org).order_by("pk"))
        instructions = self._instructions(stations)
        versions, modules = self._programmes(stations, instructions)
        people = list(
            Employee.objects.filter(organisation=self.org)
            .order_by("pk")
            .values_list("pk", "hire_date", "manager_id")
        )
        if not people or not versions:
            return
        done = self._assignments(versions, modules, people)
        self._certificates(versions, people, done)

    # --- Work instructions ----------------------------------------------------------------------

    def _instructions(self, stations: list[Workstation]) -> list[WorkInstruction]:
        count = self.size["instructions"]
        if count == 0:
            return []
        rows = WorkInstruction.objects.bulk_create(
            [
                WorkInstruction(
                    organisation=self.org,
                    code=f"WI-{number:05d}",
                    workstation=stations[number % len(stations)] if stations else None,
                )
                for number in range(1, count + 1)
            ],
            batch_size=BATCH,
        )
        rng = self.rng
        versions = InstructionVersion.objects.bulk_create(
            [
                InstructionVersion(
                    organisation=self.org,
                    instruction=instruction,
                    number=1,
                    status=VersionStatus.APPROVED,
                    title={
                        "nl": f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} ({instruction.code})",
                        "pl": f"Instrukcja {instruction.code}",
                    },
                    approved_at=self.now,
                )
                for instruction in rows
            ],
            batch_size=BATCH,
        )
        steps = InstructionStep.objects.bulk_create(
            [
                InstructionStep(
                    version=version,
                    position=position,
                    text={"nl": f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}"},
                )
                for version in versions
                for position in range(1, STEPS + 1)
            ],
            batch_size=BATCH,
        )
        for chunk in _batches(
            KeyPoint(
                step=step,
                position=position,
                kind=KeyPointKind.SAFETY if position == 1 else KeyPointKind.QUALITY,
                text={"nl": "Draag handschoenen" if position == 1 else "Let op de kleur"},
                reason={"nl": "Hete onderdelen" if position == 1 else "Anders is de saus te dik"},
            )
            for step in steps
            for position in (1, 2)
        ):
            KeyPoint.objects.bulk_create(chunk)  # type: ignore[arg-type]
        return rows

    # --- Programmes ------------------------------------------------------------------------------

    def _programmes(
        self, stations: list[Workstation], instructions: list[WorkInstruction]
    ) -> tuple[list[ProgrammeVersion], dict[int, list[Module]]]:
        jobs = list(Job.objects.filter(organisation=self.org).order_by("pk"))
        # Not more programmes than functions: a small build stays small.
        count = min(self.size["programmes"], len(jobs))
        if count == 0 or not jobs:
            return [], {}
        programmes = Programme.objects.bulk_create(
            [
                Programme(
                    organisation=self.org,
                    code=f"PRG-{number:04d}",
                    title=f"Opleiding {jobs[number % len(jobs)].name}",
                    job=jobs[number % len(jobs)],
                    workstation=stations[number % len(stations)] if stations else None,
                )
                for number in range(count)
            ]
        )
        versions = ProgrammeVersion.objects.bulk_create(
            [
                ProgrammeVersion(
                    organisation=self.org,
                    programme=programme,
                    number=1,
                    status=VersionStatus.APPROVED,
                    approved_at=self.now,
                    action_plan="Modules in volgorde, met de peter op de werkpost.",
                    evaluation="Eindevaluatie: test (65 %, 2 herkansingen) en checklist.",
                )
                for programme in programmes
            ]
        )
        phases = Phase.objects.bulk_create(
            [
                Phase(
                    version=version,
                    position=position,
                    title=title,
                    starts_after_days=None if position == 0 else 60,
                )
                for version in versions
                for position, title in enumerate(("Inwerken", "Zelfstandig worden"))
            ]
        )
        phase_of = {(phase.version_id, phase.position): phase for phase in phases}
        modules = Module.objects.bulk_create(
            [
                Module(
                    version=version,
                    phase=phase_of[(version.pk, phase_position)],
                    position=position,
                    title=title,
                    kind=kind,
                    duration=days,
                    duration_unit="days",
                )
                for version in versions
                for position, (phase_position, title, kind, days) in enumerate(MODULES)
            ],
            batch_size=BATCH,
        )
        by_version: dict[int, list[Module]] = {}
        for module in modules:
            by_version.setdefault(module.version_id, []).append(module)
        if instructions:
            ModuleInstruction.objects.bulk_create(
                [
                    ModuleInstruction(
                        module=module,
                        instruction=instructions[(module.pk or 0) % len(instructions)],
                    )
                    for module in modules
                    if module.kind == ModuleKind.PRACTICAL
                ],
                batch_size=BATCH,
            )
        Test.objects.bulk_create(
            [
                Test(
                    organisation=self.org,
                    title=f"Eindtest {version.programme.title}",
                    kind=TestKind.QUESTIONNAIRE,
                    status=TestStatus.PUBLISHED,
                    programme=version.programme,
                    is_final=True,
                    attest_title=f"Attest {version.programme.title}",
                    attest_valid_months=36,
                )
                for version in versions
            ]
        )
        return versions, by_version

    # --- Assignments and sign-offs ---------------------------------------------------------------

    def _assignments(
        self,
        versions: list[ProgrammeVersion],
        modules: dict[int, list[Module]],
        people: Sequence[tuple[int, datetime.date, int | None]],
    ) -> list[tuple[int, int, datetime.date]]:
        """Write the assignments, their module plans and the confirmed sign-offs; return
        (person id, version id, completion date) of the completed ones."""
        rng = self.rng
        total = self.size["assignments"]
        span = 365 * YEARS
        seen: set[tuple[int, int]] = set()
        rows: list[ProgrammeAssignment] = []
        for number in range(total):
            person_id, hire_date, manager_id = people[number % len(people)]
            version = versions[rng.randrange(len(versions))]
            while (person_id, version.pk) in seen:
                version = versions[rng.randrange(len(versions))]
            seen.add((person_id, version.pk))
            started = self.today - datetime.timedelta(days=int(span * (1 - number / total)))
            started = max(started, hire_date)
            # The newest tenth, and whoever started too recently to have finished, is active.
            length = sum(module.duration for module in modules[version.pk])
            active = number >= total * 0.9 or started + datetime.timedelta(days=length) > self.today
            stopped = not active and number % 50 == 0
            rows.append(
                ProgrammeAssignment(
                    organisation=self.org,
                    version=version,
                    employee_id=person_id,
                    guide_id=manager_id if manager_id != person_id else None,
                    audience=Audience.NEWCOMER if number % 4 else Audience.MOVER,
                    started_on=started,
                    status=AssignmentStatus.ACTIVE
                    if active
                    else (AssignmentStatus.STOPPED if stopped else AssignmentStatus.COMPLETED),
                    completed_on=None
                    if active or stopped
                    else started + datetime.timedelta(days=length),
                    stop_reason="Functie gewijzigd" if stopped else "",
                )
            )
        assignments = ProgrammeAssignment.objects.bulk_create(rows, batch_size=BATCH)
        completed: list[tuple[int, int, datetime.date]] = []
        plans: list[ModulePlan] = []
        signoffs: list[Signoff] = []
        for assignment in assignments:
            version_modules = modules[assignment.version_id]
            if assignment.status == AssignmentStatus.COMPLETED:
                done_count = len(version_modules)
                assert assignment.completed_on is not None
                completed.append(
                    (assignment.employee_id, assignment.version_id, assignment.completed_on)
                )
            elif assignment.status == AssignmentStatus.STOPPED:
                done_count = 2
            else:
                done_count = rng.randrange(len(version_modules))
            day = assignment.started_on
            for index, module in enumerate(version_modules):
                end = day + datetime.timedelta(days=module.duration)
                is_done = index < done_count and end <= self.today
                plans.append(
                    ModulePlan(
                        assignment=assignment,
                        module=module,
                        planned_start=day,
                        planned_end=end,
                        actual_start=day if index <= done_count else None,
                        done_on=end if is_done else None,
                    )
                )
                if is_done:
                    signoffs.append(self._signoff(assignment, module, end))
                day = end
            if len(plans) >= BATCH:
                ModulePlan.objects.bulk_create(plans)
                plans = []
            if len(signoffs) >= BATCH:
                Signoff.objects.bulk_create(signoffs)
                signoffs = []
        ModulePlan.objects.bulk_create(plans)
        Signoff.objects.bulk_create(signoffs)
        return completed

    def _signoff(
        self, assignment: ProgrammeAssignment, module: Module, day: datetime.date
    ) -> Signoff:
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(14, 0)))
        content = (
            f"{assignment.employee_id}|{module.pk}|1|{moment.isoformat()}|{assignment.guide_id}"
        )
        return Signoff(
            organisation=self.org,
            assignment=assignment,
            module=module,
            version_number=1,
            declared_at=moment,
            confirmed_at=moment,
            confirmer_id=assignment.guide_id,
            capacity=SignoffCapacity.MENTOR,
            content_hash=hashlib.sha256(content.encode()).hexdigest(),
        )

    # --- Certificates ----------------------------------------------------------------------------

    def _certificates(
        self,
        versions: list[ProgrammeVersion],
        people: Sequence[tuple[int, datetime.date, int | None]],
        done: list[tuple[int, int, datetime.date]],
    ) -> None:
        """Attests for completed programmes first, then external certificates up to the total;
        validity 3 years, so those of about three years ago expire in the coming weeks."""
        rng = self.rng
        total = self.size["certificates"]
        tests = dict(
            Test.objects.filter(organisation=self.org, is_final=True).values_list(
                "programme_id", "pk"
            )
        )
        titles = {version.pk: version.programme.title for version in versions}
        programme_of = {version.pk: version.programme_id for version in versions}
        codes: set[str] = set()

        def code() -> str:
            while (value := _code(rng)) in codes:
                pass
            codes.add(value)
            return value

        def rows() -> Iterator[Certificate]:
            made = 0
            for person_id, version_id, day in done:
                if made >= total:
                    return
                made += 1
                yield Certificate(
                    organisation=self.org,
                    employee_id=person_id,
                    kind=CertificateKind.ATTEST,
                    title=f"Attest {titles[version_id]}",
                    issuer="Schaal NV",
                    issued_on=day,
                    expires_on=day + datetime.timedelta(days=3 * 365),
                    code=code(),
                    test_id=tests.get(programme_of[version_id]),
                )
            external = ["VCA basis", "Heftruck", "HACCP", "EHBO", "Hoogwerker", "BA4/BA5"]
            while made < total:
                person_id = people[made % len(people)][0]
                issued = self.today - datetime.timedelta(days=rng.randrange(365 * 5))
                made += 1
                yield Certificate(
                    organisation=self.org,
                    employee_id=person_id,
                    kind=CertificateKind.CERTIFICATE,
                    title=rng.choice(external),
                    issuer="Extern opleidingscentrum",
                    issued_on=issued,
                    expires_on=issued + datetime.timedelta(days=3 * 365),
                    code=code(),
                )

        for chunk in _batches(rows()):
            Certificate.objects.bulk_create(chunk)  # type: ignore[arg-type]
