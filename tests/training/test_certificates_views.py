"""The certificate pages: the register and who sees what, registering with a scan, the attest as
a PDF with a QR code, the public verification page that shows only five facts, the sections on
shared pages and query counts."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leerplek.core.roles import Role
from leerplek.training.models import Certificate
from tests.factories import Cast, EmployeeFactory
from tests.training.test_certificates_services import TODAY, attest, register

pytestmark = pytest.mark.django_db


def url(name: str, *args: Any) -> str:
    return reverse(f"training:{name}", args=args)


def test_hr_sees_the_register_with_what_expires_soon(cast: Cast, client_for: Any) -> None:
    soon = attest(cast, issued_on=TODAY - datetime.timedelta(days=340))
    register(cast, title="Heftruckattest")
    body = client_for(cast.user(Role.HR)).get(url("certificate-list")).content.decode()
    assert "Heftruckattest" in body
    assert "Expires within 60 days" in body
    assert url("certificate-detail", soon.pk) in body


def test_the_filters_narrow_the_register(cast: Cast, client_for: Any) -> None:
    attest(cast, issued_on=TODAY - datetime.timedelta(days=400))
    register(cast, title="Heftruckattest")
    client = client_for(cast.user(Role.HR))
    expired = client.get(url("certificate-list"), {"state": "expired"}).content.decode()
    assert "Bevoegd afvuller" in expired
    assert "Heftruckattest" not in expired
    external = client.get(url("certificate-list"), {"kind": "certificate"}).content.decode()
    assert "Heftruckattest" in external
    assert "Bevoegd afvuller" not in external


def test_an_employee_sees_only_his_own_certificates(cast: Cast, client_for: Any) -> None:
    register(cast, title="Heftruckattest van Wout")
    register(cast, title="Mijn VCA", employee=cast.employees[Role.EMPLOYEE])
    client = client_for(cast.user(Role.EMPLOYEE))
    body = client.get(url("certificate-list")).content.decode()
    assert "Mijn VCA" in body
    assert "Heftruckattest van Wout" not in body
    other = Certificate.objects.get(title="Heftruckattest van Wout")
    assert client.get(url("certificate-detail", other.pk)).status_code == 403
    own = Certificate.objects.get(title="Mijn VCA")
    assert client.get(url("certificate-detail", own.pk)).status_code == 200


def test_hr_registers_a_diploma_with_its_scan(cast: Cast, client_for: Any) -> None:
    assert cast.worker is not None
    scan = SimpleUploadedFile("diploma.pdf", b"%PDF-1.7\nscan\n", "application/pdf")
    client = client_for(cast.user(Role.HR))
    response = client.post(
        url("certificate-create"),
        {
            "employee": cast.worker.pk,
            "kind": "diploma",
            "title": "Diploma voeding",
            "issued_on": "2019-06-28",
            "file": scan,
        },
    )
    certificate = Certificate.objects.get()
    assert response["Location"] == url("certificate-detail", certificate.pk)
    download = client.get(url("certificate-file", certificate.pk))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-1.7")  # type: ignore[attr-defined]


def test_a_fake_scan_is_refused_on_the_field(cast: Cast, client_for: Any) -> None:
    assert cast.worker is not None
    fake = SimpleUploadedFile("diploma.pdf", b"GIF89a not a pdf", "application/pdf")
    response = client_for(cast.user(Role.HR)).post(
        url("certificate-create"),
        {
            "employee": cast.worker.pk,
            "kind": "diploma",
            "title": "Diploma",
            "issued_on": "2019-06-28",
            "file": fake,
        },
    )
    assert response.status_code == 422
    assert "diploma.pdf is not a real PDF file inside" in response.content.decode()
    assert not Certificate.objects.exists()


def test_the_attest_is_a_pdf_with_its_code(cast: Cast, client_for: Any) -> None:
    certificate = attest(cast, issued_on=TODAY)
    response = client_for(cast.user(Role.HR)).get(url("certificate-file", certificate.pk))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert certificate.code in response["Content-Disposition"]


def test_the_public_page_shows_only_the_five_facts(cast: Cast, client: Any) -> None:
    certificate = attest(cast, issued_on=datetime.date(2025, 3, 3), months=24)
    body = client.get(url("certificate-verify", certificate.code)).content.decode()
    for fact in ("Wout Werker", "Bevoegd afvuller", "March 3, 2025", "March 3, 2027", "Valid"):
        assert fact in body
    for secret in (
        cast.organisation.name,
        "Verpakking",
        "Saus afvullen",
        "100",
        certificate.test.title,  # type: ignore[union-attr]
    ):
        assert secret not in body


def test_an_unknown_or_expired_code_reads_so(cast: Cast, client: Any) -> None:
    old = attest(cast, issued_on=TODAY - datetime.timedelta(days=500))
    assert "Expired" in client.get(url("certificate-verify", old.code)).content.decode()
    unknown = client.get(url("certificate-verify", "ABCDEFGHJKMN"))
    assert unknown.status_code == 404
    assert "No certificate has this code" in unknown.content.decode()
    typed = client.get(url("certificate-verify-form"), {"code": old.code.lower()})
    assert typed["Location"] == url("certificate-verify", old.code)


def test_revoking_needs_a_reason(cast: Cast, client_for: Any) -> None:
    certificate = register(cast)
    client = client_for(cast.user(Role.HR))
    assert client.post(url("certificate-revoke", certificate.pk), {}).status_code == 422
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    client.post(url("certificate-revoke", certificate.pk), {"reason": "Vals document"})
    certificate.refresh_from_db()
    assert certificate.revoke_reason == "Vals document"


def test_another_organisation_finds_nothing(cast: Cast, client_for: Any) -> None:
    certificate = attest(cast, issued_on=TODAY)
    assert cast.other_hr is not None
    client = client_for(cast.other_hr)
    assert client.get(url("certificate-detail", certificate.pk)).status_code == 404
    assert client.get(url("certificate-file", certificate.pk)).status_code == 404


def test_the_home_page_warns_the_holder(cast: Cast, client_for: Any) -> None:
    mine = register(
        cast,
        title="Mijn heftruckattest",
        employee=cast.employees[Role.EMPLOYEE],
        issued_on=TODAY - datetime.timedelta(days=700),
        expires_on=TODAY + datetime.timedelta(days=20),
    )
    body = client_for(cast.user(Role.EMPLOYEE)).get(reverse("core:home")).content.decode()
    assert url("certificate-detail", mine.pk) in body
    assert "Certificates expiring" in body


def test_the_register_keeps_its_query_count(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(cast.user(Role.HR))
    register(cast)
    attest(cast, issued_on=TODAY - datetime.timedelta(days=340))
    pages = [
        url("certificate-list"),
        url("certificate-list") + "?state=expiring",
        reverse("core:home"),
    ]
    counts = {}
    # 30: the home page carries a card of every module (registration added three queries).
    for page in pages:
        with django_assert_max_num_queries(30) as captured:
            assert client.get(page).status_code == 200
        counts[page] = len(captured.captured_queries)
    for number in range(15):
        person = EmployeeFactory(organisation=cast.organisation, unit=cast.packaging)
        register(
            cast,
            employee=person,
            title=f"Attest {number}",
            issued_on=TODAY - datetime.timedelta(days=300),
            expires_on=TODAY + datetime.timedelta(days=number),
        )
    for page in pages:
        with django_assert_max_num_queries(counts[page]):
            assert client.get(page).status_code == 200


def test_the_detail_page_keeps_its_query_count(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(cast.user(Role.HR))
    certificate = attest(cast, issued_on=TODAY - datetime.timedelta(days=10))
    with django_assert_max_num_queries(15):
        assert client.get(url("certificate-detail", certificate.pk)).status_code == 200
