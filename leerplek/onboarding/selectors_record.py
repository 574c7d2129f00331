"""Reads for the legal onthaal record: the instruction catalogue, one newcomer's record, the
content printed on the signed document, the prevention adviser's register and the compliance
figures. Each function runs a fixed number of queries whatever the data size."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import formats, timezone
from django.utils.translation import gettext

from leerplek.onboarding.models import (
    GivenInstruction,
    Guidance,
    GuidanceKind,
    Onboarding,
    OnboardingStatus,
    OnthaalDocument,
    SafetyInstruction,
)
from leerplek.onboarding.services_record import applies_q
from leerplek.people.models import Employee, Organisation, OrgUnit


def legal_basis() -> str:
    return gettext(
        "Codex welzijn op het werk (Code on well-being at work), book I, title 2, "
        "art. I.2-11 and I.2-21 (formerly the Royal Decree of 25 April 2007 on the welcome "
        "of workers)"
    )


# --- The catalogue -------------------------------------------------------------------------------


def instruction_list(*, organisation: Organisation) -> QuerySet[SafetyInstruction]:
    """The catalogue with how often each instruction was given (one query)."""
    return (
        SafetyInstruction.objects.filter(organisation=organisation)
        .select_related("job", "workstation")
        .annotate(given_count=Count("given"))
        .order_by("-is_active", "topic", "position", "title", "id")
    )


def applicable_instructions(*, onboarding: Onboarding) -> QuerySet[SafetyInstruction]:
    """The active instructions for everybody, the newcomer's function and his workstation.
    `onboarding` comes with its employee loaded."""
    return (
        SafetyInstruction.objects.filter(
            applies_q(job_id=onboarding.job_id, workstation_id=onboarding.employee.workstation_id),
            organisation_id=onboarding.organisation_id,
            is_active=True,
        )
        .select_related("job", "workstation")
        .order_by("topic", "position", "title", "id")
    )


# --- One newcomer's record -----------------------------------------------------------------------


@dataclass
class RecordView:
    onboarding: Onboarding
    given: list[GivenInstruction]
    pending: list[SafetyInstruction]
    documents: list[OnthaalDocument]
    guide: Guidance | None
    backups: list[Guidance]

    @property
    def confirmed_count(self) -> int:
        return sum(1 for row in self.given if row.is_confirmed)

    @property
    def total(self) -> int:
        return len(self.given) + len(self.pending)

    @property
    def latest(self) -> OnthaalDocument | None:
        return self.documents[0] if self.documents else None

    @property
    def complete(self) -> bool:
        """Every applicable instruction given and confirmed by both."""
        return not self.pending and all(row.is_confirmed for row in self.given)

    @property
    def changed_since_signing(self) -> bool:
        """Whether the record moved on after the latest signature (a correction may be due)."""
        latest = self.latest
        if latest is None:
            return False
        return latest.content.get("fingerprint") != fingerprint(self)


def record_detail(*, onboarding: Onboarding) -> RecordView:
    """One newcomer's record in four queries: instructions given, those still to give, the
    signed versions and the guides. `onboarding` comes with its employee loaded."""
    given = list(
        onboarding.instructions.select_related("given_by", "guide_confirmed_by").order_by(
            "position", "id"
        )
    )
    done = {row.instruction_id for row in given}
    pending = [row for row in applicable_instructions(onboarding=onboarding) if row.pk not in done]
    documents = list(onboarding.documents.select_related("signed_by").order_by("-version"))
    guides = list(
        Guidance.objects.current()
        .filter(learner_id=onboarding.employee_id, kind=GuidanceKind.MENTOR)
        .select_related("guide")
        .order_by("is_backup", "starts_on", "id")
    )
    primary = next((g for g in guides if not g.is_backup), None)
    backups = [g for g in guides if g.is_backup]
    return RecordView(onboarding, given, pending, documents, primary, backups)


def fingerprint(record: RecordView) -> list[Any]:
    """What the signed document states that can change later: instructions, confirmations,
    guides and proposals. A signed version whose fingerprint differs is out of date."""
    return [
        [
            [
                row.pk,
                str(row.given_on),
                bool(row.newcomer_confirmed_at),
                bool(row.guide_confirmed_at),
            ]
            for row in record.given
        ],
        record.guide.guide_id if record.guide else None,
        sorted(g.guide_id for g in record.backups),
        record.onboarding.prevention_proposals,
    ]


def _moment(value: datetime.datetime | None) -> str:
    if value is None:
        return ""
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def _day(value: datetime.date | None) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else ""


def document_content(*, onboarding: Onboarding, document: OnthaalDocument) -> dict[str, Any]:
    """Everything the onthaal document states, as plain text in the signer's language. It is
    stored with the document (`content`) so the register shows what was signed, and the PDF is
    rendered from it."""
    record = record_detail(onboarding=onboarding)
    # The peter/meter confirmed with his log-in: print his name as the register knows him.
    confirmers = {row.guide_confirmed_by_id for row in record.given if row.guide_confirmed_by_id}
    names = {
        user_id: f"{first} {last}"
        for user_id, first, last in Employee.objects.filter(
            organisation_id=onboarding.organisation_id, user_id__in=confirmers
        ).values_list("user_id", "first_name", "last_name")
    }
    employee = onboarding.employee
    organisation = onboarding.organisation
    previous = document.supersedes
    return {
        "organisation": organisation.name,
        "enterprise_number": organisation.enterprise_number,
        "newcomer": str(employee),
        "employee_number": employee.employee_number,
        "function": onboarding.job.name if onboarding.job else "",
        "unit": employee.unit.name if employee.unit else "",
        "start_date": _day(onboarding.start_date),
        "reason": str(onboarding.get_reason_display()),
        "guide": str(record.guide.guide) if record.guide else "",
        "guide_since": _day(record.guide.starts_on) if record.guide else "",
        "backups": [str(g.guide) for g in record.backups],
        "organiser": str(onboarding.organiser),
        "instructions": [
            {
                "topic": str(row.get_topic_display()),
                "title": row.title,
                "given_on": _day(row.given_on),
                "given_by": str(row.given_by) if row.given_by else "",
                "newcomer_confirmed": _moment(row.newcomer_confirmed_at),
                "guide_confirmed": _moment(row.guide_confirmed_at),
                "guide_confirmed_by": names.get(
                    row.guide_confirmed_by_id or 0, str(row.guide_confirmed_by or "")
                ),
            }
            for row in record.given
        ],
        "not_given": [row.title for row in record.pending],
        "prevention_proposals": onboarding.prevention_proposals,
        "legal_basis": legal_basis(),
        "version": document.version,
        "supersedes_version": previous.version if previous else None,
        "supersedes_sha256": previous.sha256 if previous else "",
        "correction": document.correction,
        "signer_name": document.signer_name,
        "signer_capacity": document.signer_capacity,
        "signed_at": _moment(document.signed_at),
        "reference": f"{organisation.slug}-{onboarding.pk}-v{document.version}",
        "fingerprint": fingerprint(record),
        "generated_by": gettext("Leerplek"),
    }


def giver_choices(*, onboarding: Onboarding) -> list[tuple[int, str]]:
    """Who may have given an instruction: the people who work here, the newcomer excepted
    (one query)."""
    return [
        (person.pk, f"{person.last_name}, {person.first_name}")
        for person in Employee.objects.filter(organisation_id=onboarding.organisation_id)
        .active()
        .exclude(pk=onboarding.employee_id)
        .order_by("last_name", "first_name", "id")
    ]


# --- The newcomer's own page and the guide's confirmations --------------------------------------


def to_confirm(*, onboarding: Onboarding) -> list[GivenInstruction]:
    """Instructions given to the newcomer, in order (one query)."""
    return list(
        onboarding.instructions.filter(given_on__isnull=False)
        .select_related("given_by")
        .order_by("position", "id")
    )


# --- The prevention adviser's register -----------------------------------------------------------


def _is_latest() -> Any:
    return ~Exists(OnthaalDocument.objects.filter(supersedes_id=OuterRef("pk")))


def register(
    *, organisation: Organisation, year: int | None = None, unit_path: str = ""
) -> QuerySet[OnthaalDocument]:
    """All signed onthaal documents, by unit and newcomer, the newest version first and marked
    `is_latest` (one query per page)."""
    rows = OnthaalDocument.objects.filter(onboarding__organisation=organisation)
    if year:
        rows = rows.filter(signed_at__year=year)
    if unit_path:
        rows = rows.filter(onboarding__employee__unit__path__startswith=unit_path)
    return (
        rows.annotate(is_latest=_is_latest())
        .select_related("onboarding", "onboarding__employee", "onboarding__employee__unit")
        .order_by(
            "onboarding__employee__unit__path",
            "onboarding__employee__last_name",
            "onboarding__employee__first_name",
            "onboarding_id",
            "-version",
        )
    )


def register_years(*, organisation: Organisation) -> list[int]:
    """The years in which documents were signed, newest first (one query)."""
    return list(
        OnthaalDocument.objects.filter(onboarding__organisation=organisation)
        .annotate(year=ExtractYear("signed_at"))
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )


def unit_choices(*, organisation: Organisation) -> list[tuple[str, str]]:
    """The organisation's units as (path, indented name) choices (one query)."""
    return [
        (unit.path, "\u2003" * unit.depth + unit.name)
        for unit in OrgUnit.objects.filter(organisation=organisation).order_by("path")
    ]


# --- Compliance ----------------------------------------------------------------------------------


def _not_given() -> Coalesce:
    """Per onboarding (outer query): the active instructions that apply and were not given."""
    applicable = SafetyInstruction.objects.filter(
        organisation_id=OuterRef("organisation_id"), is_active=True
    ).filter(
        Q(job__isnull=True) | Q(job_id=OuterRef("job_id")),
        Q(workstation__isnull=True) | Q(workstation_id=OuterRef("employee__workstation_id")),
    )
    not_given = applicable.exclude(
        Exists(
            GivenInstruction.objects.filter(
                onboarding_id=OuterRef(OuterRef("pk")), instruction_id=OuterRef("pk")
            )
        )
    )
    return Coalesce(
        Subquery(
            not_given.order_by().values("organisation_id").annotate(n=Count("pk")).values("n")[:1]
        ),
        0,
    )


def _unconfirmed() -> Count:
    return Count(
        "instructions",
        filter=Q(instructions__newcomer_confirmed_at__isnull=True)
        | Q(instructions__guide_confirmed_at__isnull=True),
        distinct=True,
    )


def record_gaps(*, organisation: Organisation) -> QuerySet[Onboarding]:
    """Active onboardings annotated with instructions still to give (`not_given`), given but not
    yet confirmed by both (`unconfirmed`) and whether a signed document exists (`signed`)."""
    return Onboarding.objects.filter(
        organisation=organisation, status=OnboardingStatus.ACTIVE
    ).annotate(
        not_given=_not_given(),
        unconfirmed=_unconfirmed(),
        signed=Exists(OnthaalDocument.objects.filter(onboarding_id=OuterRef("pk"))),
    )


@dataclass
class RecordSummary:
    given: int
    total: int
    confirmed: int
    latest_version: int | None
    latest_signed_at: datetime.datetime | None
    latest_signer: str


def record_summary(*, onboarding: Onboarding) -> RecordSummary:
    """How far the record is, for the onboarding page (one query)."""
    latest = OnthaalDocument.objects.filter(onboarding_id=OuterRef("pk")).order_by("-version")
    row = (
        Onboarding.objects.filter(pk=onboarding.pk)
        .annotate(
            not_given=_not_given(),
            given=Count("instructions", distinct=True),
            confirmed=Count(
                "instructions",
                filter=Q(instructions__newcomer_confirmed_at__isnull=False)
                & Q(instructions__guide_confirmed_at__isnull=False),
                distinct=True,
            ),
            latest_version=Subquery(latest.values("version")[:1]),
            latest_signed_at=Subquery(latest.values("signed_at")[:1]),
            latest_signer=Subquery(latest.values("signer_name")[:1]),
        )
        .values(
            "not_given", "given", "confirmed", "latest_version", "latest_signed_at", "latest_signer"
        )
        .get()
    )
    return RecordSummary(
        given=row["given"],
        total=row["given"] + row["not_given"],
        confirmed=row["confirmed"],
        latest_version=row["latest_version"],
        latest_signed_at=row["latest_signed_at"],
        latest_signer=row["latest_signer"] or "",
    )


@dataclass
class UnitRecord:
    unit_path: str
    instructions_open: int
    unsigned: int


@dataclass
class RecordCompliance:
    by_unit: dict[str, UnitRecord] = field(default_factory=dict)
    instructions_open: list[Onboarding] = field(default_factory=list)
    unsigned: list[Onboarding] = field(default_factory=list)


def record_compliance(*, organisation: Organisation) -> RecordCompliance:
    """Per unit and as lists: newcomers with instructions not given or not yet confirmed, and
    newcomers whose onthaal document is not signed (one query)."""
    result = RecordCompliance()
    rows = (
        record_gaps(organisation=organisation)
        .select_related("employee", "employee__unit", "organiser")
        .order_by("employee__unit__path", "start_date", "employee__last_name", "id")
    )
    for row in rows:
        unit_path = row.employee.unit.path if row.employee.unit else ""
        unit = result.by_unit.setdefault(unit_path, UnitRecord(unit_path, 0, 0))
        if row.not_given or row.unconfirmed:  # type: ignore[attr-defined]
            unit.instructions_open += 1
            result.instructions_open.append(row)
        if not row.signed:  # type: ignore[attr-defined]
            unit.unsigned += 1
            result.unsigned.append(row)
    return result
