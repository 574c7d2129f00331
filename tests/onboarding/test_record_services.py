"""The onthaal record's services: the rules, the refusals (naming the problem) and that a refused
write leaves nothing behind."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from leerplek.onboarding import pdf, services_record
from leerplek.onboarding.models import (
    GivenInstruction,
    Guidance,
    InstructionTopic,
    OnboardingStatus,
    OnthaalDocument,
)
from tests.factories import Cast, WorkstationFactory
from tests.onboarding.factories import colleague, designate
from tests.onboarding.factories_record import (
    acting,
    catalogue,
    confirm_all,
    give,
    instruction,
    newcomer_record,
    signed,
)

pytestmark = pytest.mark.django_db


def error_of(problem: pytest.ExceptionInfo[ValidationError], field: str) -> str:
    assert field in problem.value.message_dict, problem.value.message_dict
    return problem.value.error_dict[field][0].code  # type: ignore[no-any-return]


# --- Catalogue -----------------------------------------------------------------------------------


def test_hr_and_the_prevention_adviser_keep_the_catalogue(cast: Cast) -> None:
    rule = instruction(cast, "  Fire extinguishers  ")
    assert rule.title == "Fire extinguishers"
    services_record.instruction_update(
        instruction=rule, by=acting(cast, Role.PREVENTION_ADVISER), is_active=False
    )
    rule.refresh_from_db()
    assert not rule.is_active
    assert AuditEntry.objects.filter(action="onboarding.instruction_changed").count() == 1


def test_a_line_manager_cannot_change_the_catalogue(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        services_record.instruction_create(
            organisation=cast.organisation, by=acting(cast, Role.MANAGER), topic="safety", title="X"
        )


def test_an_instruction_needs_a_title_and_this_organisations_function(cast: Cast) -> None:
    with pytest.raises(ValidationError) as problem:
        instruction(cast, "   ")
    assert error_of(problem, "title") == "title_required"
    foreign = WorkstationFactory(organisation=cast.other_organisation)
    with pytest.raises(ValidationError) as problem:
        instruction(cast, "Press", workstation=foreign)
    assert error_of(problem, "workstation") == "other_organisation"


# --- Giving and confirming -----------------------------------------------------------------------


def test_only_the_instructions_that_apply_can_be_given(cast: Cast) -> None:
    everybody, counsellor, gloves, tachograph = catalogue(cast)
    plan = newcomer_record(cast)
    station = WorkstationFactory(organisation=cast.organisation, unit=cast.packaging)
    press = instruction(cast, "Press guard", workstation=station)
    with pytest.raises(ValidationError) as problem:
        give(cast, plan, [everybody, tachograph])
    assert error_of(problem, "instructions") == "not_applicable"
    with pytest.raises(ValidationError):
        give(cast, plan, [press])  # another workstation than his
    assert not GivenInstruction.objects.exists()
    rows = give(cast, plan, [gloves, everybody])
    assert [row.title for row in rows] == [everybody.title, gloves.title]  # topic order
    assert rows[0].given_by == cast.employees[Role.MENTOR]
    with pytest.raises(ValidationError) as problem:
        give(cast, plan, [counsellor, everybody])
    assert error_of(problem, "instructions") == "already_given"
    assert GivenInstruction.objects.count() == 2


def test_the_date_and_giver_are_checked(cast: Cast) -> None:
    rule = instruction(cast)
    plan = newcomer_record(cast)
    hr = acting(cast, Role.HR)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as problem:
        services_record.instructions_give(
            onboarding=plan,
            instructions=[rule],
            given_on=tomorrow,
            given_by=cast.employees[Role.HR],
            by=hr,
        )
    assert error_of(problem, "given_on") == "future_date"
    with pytest.raises(ValidationError) as problem:
        services_record.instructions_give(
            onboarding=plan,
            instructions=[],
            given_on=timezone.localdate(),
            given_by=cast.employees[Role.HR],
            by=hr,
        )
    assert error_of(problem, "instructions") == "nothing_chosen"
    with pytest.raises(PermissionDenied):
        services_record.instructions_give(
            onboarding=plan,
            instructions=[rule],
            given_on=timezone.localdate(),
            given_by=cast.employees[Role.HR],
            by=acting(cast, Role.EMPLOYEE),
        )


def test_the_newcomer_and_his_peter_confirm_and_nobody_else(cast: Cast) -> None:
    rule = instruction(cast)
    plan = newcomer_record(cast)
    row = give(cast, plan, [rule])[0]
    for role in (Role.HR, Role.MANAGER):
        with pytest.raises((ValidationError, PermissionDenied)):
            services_record.instruction_confirm(given=row, by=acting(cast, role))
    with pytest.raises(ValidationError) as problem:
        services_record.instruction_confirm(given=row, by=acting(cast, Role.ADMIN))
    assert error_of(problem, "confirmation") == "not_newcomer_or_guide"
    assert "Wout Werker himself or his peter/meter" in problem.value.messages[0]
    services_record.instruction_confirm(given=row, by=acting(cast, Role.EMPLOYEE))
    row.refresh_from_db()
    assert row.newcomer_confirmed_at is not None
    assert row.guide_confirmed_at is None
    with pytest.raises(ValidationError) as problem:
        services_record.instruction_confirm(given=row, by=acting(cast, Role.EMPLOYEE))
    assert error_of(problem, "confirmation") == "already_confirmed"
    services_record.instruction_confirm(given=row, by=acting(cast, Role.MENTOR))
    row.refresh_from_db()
    assert row.is_confirmed
    assert row.guide_confirmed_by == cast.user(Role.MENTOR)


def test_a_former_peter_no_longer_confirms(cast: Cast) -> None:
    rule = instruction(cast)
    plan = newcomer_record(cast)
    row = give(cast, plan, [rule])[0]
    Guidance.objects.filter(learner=plan.employee).update(
        ends_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    with pytest.raises((ValidationError, PermissionDenied)):
        services_record.instruction_confirm(given=row, by=acting(cast, Role.MENTOR))


# --- Proposals -----------------------------------------------------------------------------------


def test_the_prevention_adviser_writes_the_proposals(cast: Cast) -> None:
    plan = newcomer_record(cast)
    services_record.proposals_save(
        onboarding=plan,
        text=" Hearing protection at line 2. ",
        by=acting(cast, Role.PREVENTION_ADVISER),
    )
    plan.refresh_from_db()
    assert plan.prevention_proposals == "Hearing protection at line 2."
    with pytest.raises(PermissionDenied):
        services_record.proposals_save(onboarding=plan, text="x", by=acting(cast, Role.MANAGER))


# --- Signing ------------------------------------------------------------------------------------


def test_signing_stores_the_pdf_with_its_hash_signer_and_version(cast: Cast) -> None:
    rows = give(cast, newcomer_record(cast), catalogue(cast)[:3])
    confirm_all(cast, rows)
    plan = rows[0].onboarding
    document = signed(cast, plan)
    data = document.pdf.read()
    assert data.startswith(b"%PDF-")
    assert hashlib.sha256(data).hexdigest() == document.sha256
    assert document.version == 1
    assert document.supersedes is None
    assert document.signed_by == cast.user(Role.HR)
    assert document.signer_name == "HR Hr"
    assert document.signer_capacity == "For the employer (HR)"
    assert document.content["guide"] == str(cast.employees[Role.MENTOR])
    assert len(document.content["instructions"]) == 3
    assert AuditEntry.objects.get(action="onboarding.document_signed").after["sha256"] == (
        document.sha256
    )


def test_a_line_manager_signs_for_his_unit_only(cast: Cast) -> None:
    plan = newcomer_record(cast)
    document = services_record.document_sign(onboarding=plan, by=acting(cast, Role.MANAGER))
    assert document.signer_capacity == "Hierarchical line (line manager)"
    for role in (Role.PREVENTION_ADVISER, Role.MENTOR, Role.EMPLOYEE):
        with pytest.raises(ValidationError) as problem:
            services_record.document_sign(onboarding=plan, by=acting(cast, role), correction="x")
        assert error_of(problem, "signer") == "not_signer"
    assert OnthaalDocument.objects.count() == 1


def test_no_signature_without_a_peter(cast: Cast) -> None:
    plan = newcomer_record(cast, with_guide=False)
    with pytest.raises(ValidationError) as problem:
        signed(cast, plan)
    assert error_of(problem, "guide") == "no_guide"
    assert "designate one before signing" in problem.value.messages[0]
    assert not OnthaalDocument.objects.exists()


def test_a_correction_is_a_new_version_that_keeps_the_old_one(cast: Cast) -> None:
    plan = newcomer_record(cast)
    first = signed(cast, plan)
    with pytest.raises(ValidationError) as problem:
        signed(cast, plan)
    assert error_of(problem, "correction") == "correction_required"
    designate(cast, plan, colleague(cast, first_name="Bart", last_name="Backx"), is_backup=True)
    second = signed(cast, plan, correction="Backup peter Bart added.")
    assert second.version == 2
    assert second.supersedes == first
    assert second.content["supersedes_sha256"] == first.sha256
    assert second.content["backups"] == ["Bart Backx"]
    assert first.content["backups"] == []
    assert first.pdf.read() != second.pdf.read()
    with pytest.raises(ValidationError) as problem:
        services_record.document_sign(
            onboarding=plan, by=acting(cast, Role.HR), correction="again", expected_version=1
        )
    assert error_of(problem, "correction") == "stale_version"


def test_the_first_version_has_no_correction_note(cast: Cast) -> None:
    plan = newcomer_record(cast)
    with pytest.raises(ValidationError) as problem:
        signed(cast, plan, correction="nothing to correct")
    assert error_of(problem, "correction") == "correction_first"


def test_a_signed_document_never_changes(cast: Cast) -> None:
    document = signed(cast, newcomer_record(cast))
    document.correction = "tampered"
    with pytest.raises(ValueError, match="never changes"):
        document.save()


def test_a_cancelled_onboarding_is_not_signed(cast: Cast) -> None:
    plan = newcomer_record(cast)
    type(plan).objects.filter(pk=plan.pk).update(status=OnboardingStatus.CANCELLED)
    with pytest.raises(ValidationError) as problem:
        signed(cast, plan)
    assert error_of(problem, "signer") == "onboarding_cancelled"


def test_nothing_is_stored_when_the_audit_fails(
    cast: Cast, monkeypatch: pytest.MonkeyPatch, settings: object
) -> None:
    from pathlib import Path

    plan = newcomer_record(cast)

    def broken(**kwargs: object) -> None:
        raise RuntimeError("audit down")

    monkeypatch.setattr(services_record.audit, "record", broken)
    with pytest.raises(RuntimeError):
        signed(cast, plan)
    assert not OnthaalDocument.objects.exists()
    folder = Path(settings.MEDIA_ROOT) / "onthaal"  # type: ignore[attr-defined]
    assert not folder.exists() or list(folder.iterdir()) == []


def test_a_missing_pango_is_named(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_pango(name: str, *args: object, **kwargs: object) -> object:
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_pango)
    plan = newcomer_record(cast)
    expected = r"Pango.*libpango-1\.0-0 libpangoft2-1\.0-0"
    with pytest.raises(pdf.PdfEngineMissingError, match=expected):
        signed(cast, plan)
    assert not OnthaalDocument.objects.exists()


def test_topics_are_the_models(cast: Cast) -> None:
    assert instruction(cast, topic=InstructionTopic.HYGIENE).get_topic_display() == "Hygiene"
