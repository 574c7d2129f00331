"""The certificate register's services: external certificates checked by content, revoking,
the public verification's five facts and the idempotent daily expiry run with recertification."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from leerplek.training import selectors_certificates, services_certificates
from leerplek.training.models import Attempt, Certificate, CertificateKind, ProgrammeAssignment
from tests.factories import Cast
from tests.training.factories import approved_programme
from tests.training.factories_tests import acting, photo_bytes, practical, programme_module

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def register(cast: Cast, **fields: object) -> Certificate:
    assert cast.worker is not None
    values: dict[str, object] = {
        "employee": cast.worker,
        "kind": CertificateKind.CERTIFICATE,
        "title": "VCA basis",
        "issuer": "BeSaCC-VCA",
        "issued_on": datetime.date(2024, 5, 2),
        "expires_on": datetime.date(2034, 5, 1),
        **fields,
    }
    return services_certificates.certificate_register(
        organisation=cast.organisation,
        by=acting(cast, Role.HR),
        **values,  # type: ignore[arg-type]
    )


def attest(cast: Cast, *, issued_on: datetime.date, months: int | None = 12) -> Certificate:
    """An attest of the worker for a passed practical test, issued on `issued_on`."""
    assert cast.worker is not None
    _version, module = programme_module(cast, code=f"A{Certificate.objects.count()}")
    test = practical(cast, module, publish=False)
    test.attest_valid_months = months
    test.save()
    attempt = Attempt.objects.create(
        organisation=cast.organisation,
        test=test,
        employee=cast.worker,
        number=1,
        submitted_at=timezone.make_aware(datetime.datetime.combine(issued_on, datetime.time(9))),
        points=3,
        max_points=3,
        passed=True,
    )
    return services_certificates.attest_issue(attempt=attempt, by=acting(cast, Role.HR))


def test_an_external_certificate_is_registered_with_its_scan(cast: Cast) -> None:
    scan = SimpleUploadedFile("vca.pdf", b"%PDF-1.4\n% a scan\n", "application/pdf")
    certificate = register(cast, file=scan)
    assert certificate.file_name == "vca.pdf"
    assert len(certificate.sha256) == 64
    assert AuditEntry.objects.filter(action="training.certificate_registered").count() == 1


def test_a_renamed_file_is_refused_on_the_file_field(cast: Cast) -> None:
    fake = SimpleUploadedFile("vca.pdf", b"MZ\x90\x00 executable", "application/pdf")
    with pytest.raises(ValidationError) as caught:
        register(cast, file=fake)
    assert caught.value.message_dict == {
        "file": ["vca.pdf is not a real PDF file inside; attach the original PDF or photo."]
    }
    assert not Certificate.objects.exists()


def test_a_file_above_the_limit_is_refused(cast: Cast, settings: object) -> None:
    settings.LEERPLEK = {**settings.LEERPLEK, "EVIDENCE_MAX_MB": 0}  # type: ignore[attr-defined]
    photo = SimpleUploadedFile("diploma.png", photo_bytes(), "image/png")
    with pytest.raises(ValidationError) as caught:
        register(cast, file=photo, kind=CertificateKind.DIPLOMA)
    assert "attach a file of at most 0 MB" in caught.value.message_dict["file"][0]


def test_the_expiry_cannot_lie_before_the_issue(cast: Cast) -> None:
    with pytest.raises(ValidationError) as caught:
        register(cast, expires_on=datetime.date(2020, 1, 1))
    assert caught.value.message_dict == {
        "expires_on": ["The expiry date lies before the issue date (2024-05-02)."]
    }


def test_an_internal_attest_is_not_registered_by_hand(cast: Cast) -> None:
    with pytest.raises(ValidationError) as caught:
        register(cast, kind=CertificateKind.ATTEST)
    assert list(caught.value.message_dict) == ["kind"]


def test_a_line_manager_cannot_register(cast: Cast) -> None:
    assert cast.worker is not None
    with pytest.raises(PermissionDenied):
        services_certificates.certificate_register(
            organisation=cast.organisation,
            by=acting(cast, Role.MANAGER),
            employee=cast.worker,
            kind=CertificateKind.CERTIFICATE,
            title="VCA",
            issued_on=TODAY,
        )


def test_a_revoked_certificate_reads_revoked_publicly(cast: Cast) -> None:
    certificate = register(cast)
    with pytest.raises(ValidationError):
        services_certificates.certificate_revoke(
            certificate=certificate, by=acting(cast, Role.HR), reason=" "
        )
    services_certificates.certificate_revoke(
        certificate=certificate, by=acting(cast, Role.HR), reason="Verkeerd ingegeven"
    )
    verification = selectors_certificates.public_verification(certificate.code.lower())
    assert verification is not None
    assert verification.state == "revoked"


def test_the_public_verification_holds_only_the_five_facts(cast: Cast) -> None:
    certificate = register(cast)
    verification = selectors_certificates.public_verification(f" {certificate.code} ")
    assert verification == selectors_certificates.Verification(
        name="Wout Werker",
        title="VCA basis",
        issued_on=datetime.date(2024, 5, 2),
        expires_on=datetime.date(2034, 5, 1),
        state="valid",
    )
    assert selectors_certificates.public_verification("NOPE") is None


def test_an_attest_expires_after_its_months(cast: Cast) -> None:
    certificate = attest(cast, issued_on=datetime.date(2025, 1, 31), months=1)
    assert certificate.expires_on == datetime.date(2025, 2, 28)


def test_the_expiry_run_marks_once_and_recertifies_once(cast: Cast) -> None:
    certificate = attest(cast, issued_on=TODAY - datetime.timedelta(days=400))
    refresher = approved_programme(cast, code="HERH", title="Herhaling afvullen")
    assert certificate.test is not None
    certificate.test.recertification_programme = refresher.programme
    certificate.test.save()
    first = services_certificates.certificates_follow_up(today=TODAY)
    second = services_certificates.certificates_follow_up(today=TODAY)
    assert (first.expired, first.recertifications != []) == ([certificate.pk], True)
    assert (second.expired, second.recertifications) == ([], [])
    assignment = ProgrammeAssignment.objects.get(version=refresher)
    assert (assignment.employee, assignment.audience) == (cast.worker, "refresher")
    assert assignment.module_plans.count() == refresher.modules.count()
    certificate.refresh_from_db()
    assert certificate.recertification == assignment
    assert AuditEntry.objects.filter(action="training.certificate_expired").count() == 1


def test_the_holder_is_warned_once_before_expiry(cast: Cast) -> None:
    assert cast.worker is not None
    cast.worker.email = "wout@example.test"
    cast.worker.save()
    soon = attest(cast, issued_on=TODAY - datetime.timedelta(days=340))  # expires in ~25 days
    attest(cast, issued_on=TODAY, months=24)  # far away
    first = services_certificates.certificates_follow_up(today=TODAY)
    second = services_certificates.certificates_follow_up(today=TODAY)
    assert (first.warned, second.warned) == ([soon.pk], [])
    soon.refresh_from_db()
    assert soon.warned_on == TODAY


def test_the_command_is_safe_to_repeat(cast: Cast) -> None:
    attest(cast, issued_on=TODAY - datetime.timedelta(days=400))
    out = StringIO()
    call_command("training_expire_certificates", stdout=out)
    call_command("training_expire_certificates", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert lines == [
        "warned: 0, expired: 1, recertifications assigned: 0",
        "warned: 0, expired: 0, recertifications assigned: 0",
    ]
    assert len(mail.outbox) == 0


def test_an_attest_records_its_competences_until_it_expires(cast: Cast) -> None:
    """The matrix then shows the requirement as expired by itself once the attest expires."""
    from leerplek.competences.models import Assessment, AssessmentMethod
    from leerplek.training.models import ModuleCompetence
    from tests.training.factories_programmes import competence, level

    assert cast.worker is not None
    _version, module = programme_module(cast, code="MX")
    ModuleCompetence.objects.create(module=module, competence=competence(cast), level=level(cast))
    test = practical(cast, module, publish=False)
    test.attest_valid_months = 12
    test.save()
    attempt = Attempt.objects.create(
        organisation=cast.organisation,
        test=test,
        employee=cast.worker,
        number=1,
        submitted_at=timezone.now(),
        points=3,
        max_points=3,
        passed=True,
    )
    certificate = services_certificates.attest_issue(attempt=attempt, by=acting(cast, Role.HR))
    assessment = Assessment.objects.get(employee=cast.worker)
    assert assessment.method == AssessmentMethod.CERTIFICATE
    assert assessment.valid_until == certificate.expires_on
    assert certificate.code in assessment.note
