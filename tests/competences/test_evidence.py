"""Evidence files with assessments (COMP-09): upload, checks, storage and protected download."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leerplek.competences import evidence, services
from leerplek.competences.models import Assessment
from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from tests.competences.factories import DAY, acting, competence, level
from tests.factories import Cast

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 64
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64


@pytest.fixture
def media(settings: Any) -> Path:
    """The temporary MEDIA_ROOT every test gets (tests/conftest.py)."""
    return Path(settings.MEDIA_ROOT)


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> Any:
    return SimpleUploadedFile(name, content, content_type)


def record(cast: Cast, file: Any, **values: Any) -> Assessment:
    if "competence" not in values:
        values["competence"] = competence(cast)
    values.setdefault("level", level(cast.organisation, "U"))
    return services.assessment_record(
        employee=cast.worker,
        assessed_on=DAY,
        by=acting(cast.user(Role.HR), cast.organisation),
        assessor=cast.employees[Role.HR],
        method="certificate",
        evidence=file,
        **values,
    )


# --- The service ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("attest.pdf", PDF),
        ("foto.JPG", JPEG),
        ("foto.jpeg", JPEG),
        ("scan.png", PNG),
        ("scan.webp", WEBP),
        ("IMG_0001.HEIC", HEIC),
        ("IMG_0002.heif", HEIC),
    ],
)
def test_accepted_files_are_stored_under_a_random_name_per_organisation(
    cast: Cast, media: Path, name: str, content: bytes
) -> None:
    assessment = record(cast, upload(name, content))

    assert assessment.evidence_name == name
    stored = assessment.evidence.name
    assert stored.startswith(f"evidence/{cast.organisation.pk}/")
    assert name.rsplit(".", 1)[0] not in stored  # the original name is not on disk
    assert stored.endswith(Path(name).suffix.lower())
    assert (media / stored).read_bytes() == content


def test_the_audit_entry_names_the_evidence(cast: Cast) -> None:
    record(cast, upload("attest.pdf", PDF))

    entry = AuditEntry.objects.get(action="competences.assessed")
    assert entry.after["evidence"] == "attest.pdf"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("virus.exe", b"MZ\x90\x00" + b"\x00" * 20, "evidence_type"),
        ("notes.docx", b"PK\x03\x04" + b"\x00" * 20, "evidence_type"),
        ("no-suffix", PDF, "evidence_type"),
        ("renamed.pdf", b"MZ\x90\x00" + b"\x00" * 20, "evidence_content"),
        ("photo.png", JPEG, "evidence_content"),  # a JPEG with a PNG name
        ("empty.pdf", b"", "evidence_empty"),
    ],
)
def test_bad_files_are_refused_on_the_evidence_field_and_nothing_is_written(
    cast: Cast, media: Path, name: str, content: bytes, code: str
) -> None:
    what = competence(cast)

    with pytest.raises(ValidationError) as caught:
        record(cast, upload(name, content), competence=what)

    assert [error.code for error in caught.value.error_dict["evidence"]] == [code]
    assert name in caught.value.message_dict["evidence"][0]
    assert not Assessment.objects.exists()
    assert stored_files(media) == []


def test_a_file_over_the_limit_is_refused_with_the_limit_in_the_message(
    cast: Cast, settings: Any, media: Path
) -> None:
    settings.LEERPLEK = {**settings.LEERPLEK, "EVIDENCE_MAX_MB": 1}
    big = PDF + b"0" * (1024 * 1024)

    with pytest.raises(ValidationError) as caught:
        record(cast, upload("big.pdf", big))

    assert caught.value.error_dict["evidence"][0].code == "evidence_size"
    assert "at most 1 MB" in caught.value.message_dict["evidence"][0]
    assert stored_files(media) == []


def test_no_file_is_stored_when_another_field_is_wrong(cast: Cast, media: Path) -> None:
    with pytest.raises(ValidationError) as caught:
        record(cast, upload("attest.pdf", PDF), valid_until=DAY.replace(year=2024))

    assert "valid_until" in caught.value.error_dict
    assert stored_files(media) == []


def test_the_file_is_removed_when_the_database_write_fails(
    cast: Cast, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("database went away")

    what = competence(cast)
    monkeypatch.setattr(services.audit, "record", broken)

    with pytest.raises(RuntimeError):
        record(cast, upload("attest.pdf", PDF), competence=what)

    assert not Assessment.objects.exists()
    assert stored_files(media) == []


def test_a_person_may_attach_a_photo_of_his_certificate_to_his_self_assessment(
    cast: Cast,
) -> None:
    me = cast.employees[Role.EMPLOYEE]
    assessment = services.assessment_record(
        employee=me,
        competence=competence(cast),
        level=level(cast.organisation, "U"),
        assessed_on=DAY,
        by=acting(cast.user(Role.EMPLOYEE), cast.organisation),
        method="self_assessment",
        evidence=upload("certificaat.jpg", JPEG),
    )

    assert assessment.is_self
    assert assessment.evidence_name == "certificaat.jpg"


def test_display_name_drops_folders_and_control_characters() -> None:
    assert evidence.display_name("C:\\Users\\an\\Desktop\\attest.pdf") == "attest.pdf"
    assert evidence.display_name("../../etc/pass\nwd.pdf") == "passwd.pdf"
    assert len(evidence.display_name("a" * 400 + ".pdf")) == 255
    assert evidence.display_name("a" * 400 + ".pdf").endswith(".pdf")


# --- The form pages ------------------------------------------------------------------------------


def test_assessing_with_a_file_through_the_form_page(cast: Cast, client_for: Any) -> None:
    what = competence(cast)
    client = client_for(cast.user(Role.MANAGER))
    url = reverse("competences:assessment-create", kwargs={"employee_id": cast.worker.pk})

    page = client.get(url)
    assert b'enctype="multipart/form-data"' in page.content
    assert b'type="file"' in page.content

    response = client.post(
        url,
        {
            "competence": what.pk,
            "level": level(cast.organisation, "U").pk,
            "assessed_on": "2025-03-03",
            "method": "certificate",
            "assessor": cast.employees[Role.MANAGER].pk,
            "evidence": upload("Attest heftruck.pdf", PDF),
        },
    )

    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.evidence_name == "Attest heftruck.pdf"


def test_a_renamed_file_gets_an_error_under_the_evidence_field(
    cast: Cast, client_for: Any, media: Path
) -> None:
    what = competence(cast)
    client = client_for(cast.user(Role.MANAGER))
    url = reverse("competences:assessment-create", kwargs={"employee_id": cast.worker.pk})

    response = client.post(
        url,
        {
            "competence": what.pk,
            "level": level(cast.organisation, "U").pk,
            "assessed_on": "2025-03-03",
            "method": "certificate",
            "assessor": cast.employees[Role.MANAGER].pk,
            "evidence": upload("setup.pdf", b"MZ\x90\x00" + b"\x00" * 20),
        },
    )

    assert response.status_code == 422
    errors = response.context["form"].errors
    assert list(errors) == ["evidence"]
    assert "setup.pdf is not a real PDF file" in errors["evidence"][0]
    assert not Assessment.objects.exists()
    assert stored_files(media) == []


def test_self_assessment_page_takes_a_photo(cast: Cast, client_for: Any) -> None:
    what = competence(cast)
    client = client_for(cast.user(Role.EMPLOYEE))
    url = reverse("competences:self-assessment-create")
    assert b'enctype="multipart/form-data"' in client.get(url).content

    response = client.post(
        url,
        {
            "competence": what.pk,
            "level": level(cast.organisation, "L").pk,
            "evidence": upload("IMG_2041.HEIC", HEIC),
        },
    )

    assert response.status_code == 302
    assert Assessment.objects.get().evidence_name == "IMG_2041.HEIC"


# --- The download --------------------------------------------------------------------------------


def evidence_url(assessment: Assessment) -> str:
    return reverse("competences:assessment-evidence", kwargs={"assessment_id": assessment.pk})


def test_download_sends_the_file_with_its_original_name_and_type(
    cast: Cast, client_for: Any
) -> None:
    assessment = record(cast, upload("Attest été.pdf", PDF))

    response = client_for(cast.user(Role.MANAGER)).get(evidence_url(assessment))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''Attest%20%C3%A9t%C3%A9.pdf" in disposition


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [("foto.jpg", JPEG, "image/jpeg"), ("scan.webp", WEBP, "image/webp")],
)
def test_download_type_follows_the_checked_file(
    cast: Cast, client_for: Any, name: str, content: bytes, content_type: str
) -> None:
    assessment = record(cast, upload(name, content, "text/html"))  # the browser's claim is ignored

    response = client_for(cast.user(Role.HR)).get(evidence_url(assessment))

    assert response["Content-Type"] == content_type


def test_the_person_himself_may_download_his_evidence(cast: Cast, client_for: Any) -> None:
    me = cast.employees[Role.EMPLOYEE]
    assessment = services.assessment_record(
        employee=me,
        competence=competence(cast),
        level=level(cast.organisation, "U"),
        assessed_on=DAY,
        by=acting(cast.user(Role.HR), cast.organisation),
        assessor=cast.employees[Role.HR],
        method="certificate",
        evidence=upload("mijn attest.pdf", PDF),
    )

    response = client_for(cast.user(Role.EMPLOYEE)).get(evidence_url(assessment))

    assert response.status_code == 200


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.MENTOR, Role.CONSULTATION])
def test_others_without_a_view_on_the_person_are_refused(
    cast: Cast, client_for: Any, role: Role
) -> None:
    assessment = record(cast, upload("attest.pdf", PDF))

    response = client_for(cast.user(role)).get(evidence_url(assessment))

    assert response.status_code == 403


def test_a_manager_out_of_scope_is_refused(cast: Cast, client_for: Any) -> None:
    from tests.factories import EmployeeFactory

    office_worker = EmployeeFactory(organisation=cast.organisation, unit=cast.office)
    assessment = services.assessment_record(
        employee=office_worker,
        competence=competence(cast),
        level=level(cast.organisation, "U"),
        assessed_on=DAY,
        by=acting(cast.user(Role.HR), cast.organisation),
        assessor=cast.employees[Role.HR],
        method="certificate",
        evidence=upload("attest.pdf", PDF),
    )

    response = client_for(cast.user(Role.MANAGER)).get(evidence_url(assessment))

    assert response.status_code == 403


def test_another_organisation_gets_404(cast: Cast, client_for: Any) -> None:
    assessment = record(cast, upload("attest.pdf", PDF))

    response = client_for(cast.other_hr).get(evidence_url(assessment))

    assert response.status_code == 404


def test_an_assessment_without_evidence_or_a_lost_file_is_404(
    cast: Cast, client_for: Any, media: Path
) -> None:
    without = record(cast, None)
    lost = record(cast, upload("attest.pdf", PDF), competence=competence(cast, "LOST"))
    (media / lost.evidence.name).unlink()
    client = client_for(cast.user(Role.HR))

    assert client.get(evidence_url(without)).status_code == 404
    assert client.get(evidence_url(lost)).status_code == 404


def test_media_files_have_no_public_url(cast: Cast, client_for: Any) -> None:
    assessment = record(cast, upload("attest.pdf", PDF))

    response = client_for(cast.user(Role.HR)).get(f"/media/{assessment.evidence.name}")

    assert response.status_code == 404


def test_the_history_shows_a_paperclip_link_with_the_file_name(cast: Cast, client_for: Any) -> None:
    assessment = record(cast, upload("Attest HACCP.pdf", PDF))
    url = reverse("competences:employee-competences", kwargs={"employee_id": cast.worker.pk})

    page = client_for(cast.user(Role.MANAGER)).get(url).content.decode()

    assert evidence_url(assessment) in page
    assert "evidence-clip" in page
    assert "Attest HACCP.pdf" in page
