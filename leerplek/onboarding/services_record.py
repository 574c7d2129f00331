"""Writes on the legal onthaal record (ONB-04, X-03): the catalogue of safety and well-being
instructions, the instructions given to a newcomer and their confirmations, the prevention
service's proposals and the signed onthaal document.

Codex welzijn op het werk, book I title 2, art. I.2-11 and I.2-21 (formerly the KB of 25 April
2007): the employer informs and instructs every newcomer (hire, transfer, new equipment or new
technology), designates an experienced worker to accompany him, and keeps the proof.
Every function validates first, writes inside one transaction and appends to the audit log.
"""

from __future__ import annotations

import datetime
import hashlib
import uuid
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from leerplek.core import audit
from leerplek.core.errors import field_error
from leerplek.core.roles import Role
from leerplek.onboarding.models import (
    GivenInstruction,
    Guidance,
    GuidanceKind,
    Onboarding,
    OnboardingStatus,
    OnthaalDocument,
    SafetyInstruction,
)
from leerplek.people.models import Employee, Organisation, User

INSTRUCTION_FIELDS = ["topic", "title", "content", "job", "workstation", "is_active", "position"]

ERRORS = {
    "other_organisation": _("Choose one from this organisation."),
    "title_required": _(
        "Write what the instruction is about, e.g. 'Emergency exits and fire extinguishers'."
    ),
    "workstation_job": _(
        "Choose a workstation or a function, or leave both empty for everybody; a workstation "
        "of another unit cannot be combined with this function."
    ),
    "onboarding_cancelled": _("This onboarding was cancelled; its record cannot change."),
    "nothing_chosen": _("Tick at least one instruction that was given."),
    "not_applicable": _(
        "'%(title)s' does not apply to this newcomer (another function or workstation, or no "
        "longer active)."
    ),
    "already_given": _("'%(title)s' was already recorded as given on %(date)s."),
    "future_date": _("The date cannot be in the future; today is %(today)s."),
    "too_early": _("The date is more than 60 days before the start (%(start)s); check the date."),
    "giver_left": _("%(name)s no longer works here; choose who really gave the instruction."),
    "not_given_yet": _(
        "'%(title)s' is not recorded as given yet; it can be confirmed once it was given."
    ),
    "already_confirmed": _("You already confirmed '%(title)s' on %(date)s."),
    "not_newcomer_or_guide": _(
        "Only %(newcomer)s himself or his peter/meter can confirm that an instruction was "
        "understood; nobody confirms for them."
    ),
    "not_signer": _(
        "Only the employer (HR) or the hierarchical line over %(newcomer)s may sign the onthaal "
        "document; you hold neither role for this person."
    ),
    "no_guide": _(
        "No peter/meter is designated for %(newcomer)s. The onthaal document names the "
        "experienced worker who accompanies the newcomer (Codex art. I.2-11): designate one "
        "before signing."
    ),
    "correction_required": _(
        "Version %(version)s was signed on %(date)s and never changes. Describe what this new "
        "version corrects."
    ),
    "correction_first": _(
        "There is no signed version yet: sign the first version without a correction note."
    ),
    "stale_version": _(
        "Version %(version)s was signed in the meantime by someone else. Reload the page and "
        "check it before signing a correction."
    ),
}


def _same_organisation(field: str, obj: Any, organisation: Organisation) -> None:
    if obj is not None and obj.organisation_id != organisation.pk:
        raise field_error(field, ERRORS["other_organisation"], code="other_organisation")


def _require(by: User, perm: str, obj: Any) -> None:
    if not by.has_perm(perm, obj):
        raise PermissionDenied


def _not_cancelled(onboarding: Onboarding, field: str) -> None:
    if onboarding.status == OnboardingStatus.CANCELLED:
        raise field_error(field, ERRORS["onboarding_cancelled"], code="onboarding_cancelled")


# --- The catalogue -------------------------------------------------------------------------------


def applies_q(*, job_id: int | None, workstation_id: int | None, prefix: str = "") -> Q:
    """Instructions for everybody, for the function `job_id` and for the workstation
    `workstation_id`. One with both a function and a workstation needs both to match."""
    job = Q(**{f"{prefix}job__isnull": True})
    if job_id:
        job |= Q(**{f"{prefix}job_id": job_id})
    station = Q(**{f"{prefix}workstation__isnull": True})
    if workstation_id:
        station |= Q(**{f"{prefix}workstation_id": workstation_id})
    return job & station


def _check_instruction(*, organisation: Organisation, values: dict[str, Any]) -> None:
    if not str(values.get("title", "")).strip():
        raise field_error("title", ERRORS["title_required"], code="title_required")
    _same_organisation("job", values.get("job"), organisation)
    _same_organisation("workstation", values.get("workstation"), organisation)


@transaction.atomic
def instruction_create(*, organisation: Organisation, by: User, **values: Any) -> SafetyInstruction:
    """Add an instruction to the catalogue: for everybody, a function or a workstation.

    Rules: a title; function and workstation of this organisation. Raises ValidationError on
    "title", "job" or "workstation".
    """
    _require(by, "onboarding.manage_instructions", organisation)
    _check_instruction(organisation=organisation, values=values)
    instruction = SafetyInstruction(organisation=organisation)
    for name in INSTRUCTION_FIELDS:
        if name in values:
            setattr(instruction, name, values[name])
    instruction.title = instruction.title.strip()
    instruction.save()
    audit.record(
        actor=by,
        action="onboarding.instruction_created",
        obj=instruction,
        after=audit.snapshot(instruction, INSTRUCTION_FIELDS),
    )
    return instruction


@transaction.atomic
def instruction_update(
    *, instruction: SafetyInstruction, by: User, **values: Any
) -> SafetyInstruction:
    """Change an instruction of the catalogue (same rules as `instruction_create`).

    Instructions already given keep the title they were given under.
    """
    _require(by, "onboarding.manage_instructions", instruction)
    merged = {name: getattr(instruction, name) for name in INSTRUCTION_FIELDS} | values
    _check_instruction(organisation=instruction.organisation, values=merged)
    before = audit.snapshot(instruction, INSTRUCTION_FIELDS)
    for name in INSTRUCTION_FIELDS:
        if name in values:
            setattr(instruction, name, values[name])
    instruction.title = instruction.title.strip()
    instruction.save()
    old, new = audit.changed(before, audit.snapshot(instruction, INSTRUCTION_FIELDS))
    if new:
        audit.record(
            actor=by,
            action="onboarding.instruction_changed",
            obj=instruction,
            before=old,
            after=new,
        )
    return instruction


# --- Instructions given and understood -----------------------------------------------------------


@transaction.atomic
def instructions_give(
    *,
    onboarding: Onboarding,
    instructions: Sequence[SafetyInstruction],
    given_on: datetime.date,
    given_by: Employee,
    by: User,
) -> list[GivenInstruction]:
    """Record that `given_by` gave `instructions` to the newcomer on `given_on`.

    Rules: the onboarding is not cancelled; at least one instruction, each applying to the
    newcomer (everybody, his function or his workstation) and not recorded before; the date is
    not in the future nor more than 60 days before the start; the giver works here.
    Raises ValidationError on "instructions", "given_on" or "given_by".
    """
    _require(by, "onboarding.record_instruction", onboarding)
    # Lock the onboarding: two people may record the same instruction at once.
    onboarding = (
        Onboarding.objects.select_for_update(of=("self",))
        .select_related("employee")
        .get(pk=onboarding.pk)
    )
    _not_cancelled(onboarding, "instructions")
    if not instructions:
        raise field_error("instructions", ERRORS["nothing_chosen"], code="nothing_chosen")
    _same_organisation("given_by", given_by, onboarding.organisation)
    today = timezone.localdate()
    if given_on > today:
        raise field_error(
            "given_on", ERRORS["future_date"], code="future_date", params={"today": today}
        )
    if given_on < onboarding.start_date - datetime.timedelta(days=60):
        raise field_error(
            "given_on",
            ERRORS["too_early"],
            code="too_early",
            params={"start": onboarding.start_date},
        )
    if given_by.exit_date is not None and given_by.exit_date < given_on:
        raise field_error(
            "given_by", ERRORS["giver_left"], code="giver_left", params={"name": given_by}
        )
    wanted = {instruction.pk for instruction in instructions}
    applicable = {
        row.pk: row
        for row in SafetyInstruction.objects.filter(
            applies_q(job_id=onboarding.job_id, workstation_id=onboarding.employee.workstation_id),
            organisation_id=onboarding.organisation_id,
            is_active=True,
            pk__in=wanted,
        )
    }
    for instruction in instructions:
        if instruction.pk not in applicable:
            raise field_error(
                "instructions",
                ERRORS["not_applicable"],
                code="not_applicable",
                params={"title": instruction.title},
            )
    done = GivenInstruction.objects.filter(onboarding=onboarding, instruction_id__in=wanted).first()
    if done is not None:
        raise field_error(
            "instructions",
            ERRORS["already_given"],
            code="already_given",
            params={"title": done.title, "date": done.given_on},
        )
    start = onboarding.instructions.aggregate(last=Max("position"))["last"] or 0
    rows = GivenInstruction.objects.bulk_create(
        [
            GivenInstruction(
                onboarding=onboarding,
                instruction=applicable[pk],
                topic=applicable[pk].topic,
                title=applicable[pk].title,
                given_on=given_on,
                given_by=given_by,
                position=start + index + 1,
            )
            for index, pk in enumerate(sorted(wanted, key=lambda pk: _order(applicable[pk])))
        ]
    )
    audit.record(
        actor=by,
        action="onboarding.instructions_given",
        obj=onboarding,
        after={
            "instructions": sorted(wanted),
            "given_on": given_on,
            "given_by": given_by.pk,
        },
    )
    return rows


def _order(instruction: SafetyInstruction) -> tuple[str, int, str, int]:
    return (instruction.topic, instruction.position, instruction.title, instruction.pk)


def _is_current_peter(onboarding: Onboarding, user: User) -> bool:
    """Whether `user` is the newcomer's current peter/meter (primary or backup)."""
    return (
        Guidance.objects.current()
        .filter(
            learner_id=onboarding.employee_id,
            kind=GuidanceKind.MENTOR,
            guide__user=user,
            organisation_id=onboarding.organisation_id,
        )
        .exists()
    )


@transaction.atomic
def instruction_confirm(*, given: GivenInstruction, by: User) -> GivenInstruction:
    """Confirm that an instruction was understood: by the newcomer himself, or by his current
    peter/meter (primary or backup). Nobody confirms for them.

    Rules: the instruction was given; the same person does not confirm twice.
    Raises ValidationError on "confirmation".
    """
    given = (
        GivenInstruction.objects.select_for_update(of=("self",))
        .select_related("onboarding", "onboarding__employee", "onboarding__employee__unit")
        .get(pk=given.pk)
    )
    onboarding = given.onboarding
    newcomer = onboarding.employee
    as_newcomer = newcomer.user_id is not None and newcomer.user_id == by.pk
    if not as_newcomer and not _is_current_peter(onboarding, by):
        raise field_error(
            "confirmation",
            ERRORS["not_newcomer_or_guide"],
            code="not_newcomer_or_guide",
            params={"newcomer": newcomer},
        )
    _require(by, "onboarding.confirm_instruction", newcomer)
    _not_cancelled(onboarding, "confirmation")
    if given.given_on is None:
        raise field_error(
            "confirmation", ERRORS["not_given_yet"], code="not_given_yet", params={"title": given}
        )
    already = given.newcomer_confirmed_at if as_newcomer else given.guide_confirmed_at
    if already is not None:
        raise field_error(
            "confirmation",
            ERRORS["already_confirmed"],
            code="already_confirmed",
            params={"title": given, "date": timezone.localtime(already).date()},
        )
    now = timezone.now()
    if as_newcomer:
        given.newcomer_confirmed_at = now
        given.save(update_fields=["newcomer_confirmed_at"])
    else:
        given.guide_confirmed_at = now
        given.guide_confirmed_by = by
        given.save(update_fields=["guide_confirmed_at", "guide_confirmed_by"])
    audit.record(
        actor=by,
        action="onboarding.instruction_confirmed",
        obj=given,
        organisation=onboarding.organisation,
        after={
            "onboarding": onboarding.pk,
            "as": "newcomer" if as_newcomer else "guide",
            "at": now,
        },
    )
    return given


# --- Proposals of the prevention service ---------------------------------------------------------


@transaction.atomic
def proposals_save(*, onboarding: Onboarding, text: str, by: User) -> Onboarding:
    """Write the prevention service's proposals for this newcomer (printed on the document).

    Rule: the onboarding is not cancelled. Raises ValidationError on "prevention_proposals".
    """
    _require(by, "onboarding.add_proposals", onboarding)
    onboarding = Onboarding.objects.select_for_update(of=("self",)).get(pk=onboarding.pk)
    _not_cancelled(onboarding, "prevention_proposals")
    before = {"prevention_proposals": onboarding.prevention_proposals}
    onboarding.prevention_proposals = text.strip()
    onboarding.save(update_fields=["prevention_proposals"])
    if before["prevention_proposals"] != onboarding.prevention_proposals:
        audit.record(
            actor=by,
            action="onboarding.proposals_saved",
            obj=onboarding,
            before=before,
            after={"prevention_proposals": onboarding.prevention_proposals},
        )
    return onboarding


# --- The signed onthaal document -----------------------------------------------------------------


def signer_capacity(by: User) -> str:
    """In which capacity `by` signs: for the employer (HR) or as hierarchical line."""
    access = by.access
    if access.has_role(Role.HR, Role.ADMIN):
        return gettext("For the employer (HR)")
    return gettext("Hierarchical line (line manager)")


def _signer_name(by: User, organisation_id: int) -> str:
    person = Employee.objects.filter(organisation_id=organisation_id, user=by).first()
    return str(person) if person is not None else str(by)


@transaction.atomic
def document_sign(
    *,
    onboarding: Onboarding,
    by: User,
    correction: str = "",
    expected_version: int | None = None,
) -> OnthaalDocument:
    """Sign the onthaal document: render the record as a PDF, store it with its SHA-256 hash,
    the signer, his capacity and the version. A correction is a new version that names what it
    corrects and keeps the previous one (`supersedes`).

    Rules: only the employer (HR) or the hierarchical line over the newcomer signs; a peter/meter
    is designated; the first version has no correction note, every later one has one;
    `expected_version` (the latest version the signer saw) guards against signing over a
    version signed in the meantime.
    Raises ValidationError on "signer", "guide", "correction"; PdfEngineMissingError when
    WeasyPrint's Pango library is missing.
    """
    from leerplek.onboarding import pdf
    from leerplek.onboarding.selectors_record import document_content

    # Lock the onboarding: two signers at once must not both make version 2.
    onboarding = (
        Onboarding.objects.select_for_update(of=("self",))
        .select_related("employee", "employee__unit", "organisation", "job", "organiser")
        .get(pk=onboarding.pk)
    )
    if not by.has_perm("onboarding.sign_document", onboarding):
        raise field_error(
            "signer",
            ERRORS["not_signer"],
            code="not_signer",
            params={"newcomer": onboarding.employee},
        )
    _not_cancelled(onboarding, "signer")
    from leerplek.onboarding.services import has_guide

    if not has_guide(onboarding):
        raise field_error(
            "guide", ERRORS["no_guide"], code="no_guide", params={"newcomer": onboarding.employee}
        )
    latest = onboarding.documents.order_by("-version").first()
    correction = correction.strip()
    if latest is not None and expected_version is not None and expected_version != latest.version:
        raise field_error(
            "correction",
            ERRORS["stale_version"],
            code="stale_version",
            params={"version": latest.version},
        )
    if latest is not None and not correction:
        raise field_error(
            "correction",
            ERRORS["correction_required"],
            code="correction_required",
            params={
                "version": latest.version,
                "date": timezone.localtime(latest.signed_at).date(),
            },
        )
    if latest is None and correction:
        raise field_error("correction", ERRORS["correction_first"], code="correction_first")
    now = timezone.now()
    document = OnthaalDocument(
        onboarding=onboarding,
        version=latest.version + 1 if latest else 1,
        supersedes=latest,
        correction=correction,
        prevention_proposals=onboarding.prevention_proposals,
        signed_by=by,
        signer_name=_signer_name(by, onboarding.organisation_id),
        signer_capacity=signer_capacity(by),
        signed_at=now,
    )
    document.content = document_content(onboarding=onboarding, document=document)
    data = pdf.render_onthaal_document(document.content)
    document.sha256 = hashlib.sha256(data).hexdigest()
    # A random name: the file is only served through the permission-checked download view.
    document.pdf.save(f"{uuid.uuid4().hex}.pdf", ContentFile(data), save=False)
    stored = document.pdf.name
    try:
        document.save()
        audit.record(
            actor=by,
            action="onboarding.document_signed",
            obj=document,
            organisation=onboarding.organisation,
            after={
                "onboarding": onboarding.pk,
                "version": document.version,
                "supersedes": latest.pk if latest else None,
                "correction": correction,
                "sha256": document.sha256,
                "capacity": document.signer_capacity,
            },
        )
    except BaseException:
        # Nothing half-written: no stored file without its row.
        document.pdf.storage.delete(stored)
        raise
    # The row commits with the transaction; should the commit fail the file stays unreferenced
    # under a random name, never served.
    return document
