"""Work-instruction pages: the TWI editor, the reader at the workstation in the worker's language,
QR codes, a removed workstation, photos served safely, and fixed query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from leerplek.core.roles import Role
from leerplek.training.models import InstructionStep, KeyPoint, KeyPointKind
from leerplek.training.services_instructions import station_code_for
from tests.factories import Cast
from tests.training.factories import approved_instruction, station
from tests.training.factories_instructions import (
    approved_version,
    draft_of,
    language,
    upload,
    with_photos,
)
from tests.training.factories_leittext import learner, user_of

pytestmark = pytest.mark.django_db


def test_an_author_adds_a_step_with_a_photo_on_the_editor(cast: Cast, client_for: Any) -> None:
    draft = draft_of(cast, approved_instruction(cast))
    client = client_for(cast.user(Role.INSTRUCTOR))
    page = client.get(reverse("training:version-edit", args=[draft.pk]))
    assert page.status_code == 200
    assert "Add an important step" in page.content.decode()
    response = client.post(
        reverse("training:step-add", args=[draft.pk]),
        {"text": "Sluit de deksel", "photo": upload("deksel.png")},
    )
    assert response.status_code == 302
    assert draft.steps.filter(text__nl="Sluit de deksel").exclude(photo="").exists()


def test_a_document_as_photo_comes_back_with_the_message(cast: Cast, client_for: Any) -> None:
    draft = draft_of(cast, approved_instruction(cast))
    client = client_for(cast.user(Role.INSTRUCTOR))
    response = client.post(
        reverse("training:step-add", args=[draft.pk]),
        {"text": "Sluit de deksel", "photo": upload("deksel.png", b"%PDF-1.7")},
    )
    assert response.status_code == 422
    assert "deksel.png is not a photo inside" in response.content.decode()
    assert draft.steps.count() == 3


def test_the_worker_reads_his_language_with_the_dutch_marked(cast: Cast, client_for: Any) -> None:
    language(cast, code="pl", name="Polski")
    worker = learner(cast)
    worker.languages = "pl"
    worker.save(update_fields=["languages"])
    instruction = approved_instruction(cast, steps=2, translations={"pl": "PL"})
    # One step without its Polish text: the Dutch shows, marked.
    step = approved_version(instruction).steps.get(position=2)
    step.text = {"nl": "Stap 2"}
    step.save()
    client = client_for(user_of(worker, cast))
    page = client.get(reverse("training:instruction-read", args=[instruction.pk])).content.decode()
    assert "PL Stap 1" in page
    assert 'lang="nl">Stap 2' in page
    assert "shown in Dutch" in page
    one = client.get(reverse("training:instruction-read", args=[instruction.pk]) + "?step=2")
    assert "Step 2 of 2" in one.content.decode()


def test_arabic_is_laid_out_right_to_left(cast: Cast, client_for: Any) -> None:
    language(cast, code="ar", name="العربية", rtl=True)
    instruction = approved_instruction(cast, translations={"ar": "AR"})
    client = client_for(cast.user(Role.EMPLOYEE))
    page = client.get(
        reverse("training:instruction-read", args=[instruction.pk]) + "?lang=ar"
    ).content.decode()
    assert 'dir="rtl"' in page


def test_scanning_a_workstation_opens_its_instruction(cast: Cast, client_for: Any) -> None:
    workstation = station(cast)
    instruction = approved_instruction(cast, workstation=workstation)
    code = station_code_for(workstation)
    client = client_for(cast.user(Role.EMPLOYEE))
    response = client.get(reverse("training:station", args=[code.token]))
    assert response["Location"] == reverse("training:instruction-read", args=[instruction.pk])
    approved_instruction(cast, code="WI-2", workstation=workstation)
    assert "WI-2" in client.get(reverse("training:station", args=[code.token])).content.decode()


def test_the_code_of_a_removed_workstation_says_so(cast: Cast, client_for: Any) -> None:
    workstation = station(cast)
    code = station_code_for(workstation)
    workstation.delete()
    client = client_for(cast.user(Role.EMPLOYEE))
    response = client.get(reverse("training:station", args=[code.token]))
    assert response.status_code == 410
    assert "Mengketel 1" in response.content.decode()


def test_qr_codes_and_photos_are_served_safely(cast: Cast, client_for: Any) -> None:
    workstation = station(cast)
    instruction = with_photos(approved_instruction(cast, workstation=workstation))
    client = client_for(cast.user(Role.MANAGER))
    svg = client.get(reverse("training:instruction-code", args=[instruction.pk]))
    assert svg["Content-Type"] == "image/svg+xml"
    assert svg.content.startswith(b"<svg")
    sheet = client.get(reverse("training:workstation-code", args=[workstation.pk]))
    assert "<svg" in sheet.content.decode()
    step = approved_version(instruction).steps.first()
    assert step is not None
    photo = client.get(reverse("training:step-photo", args=[step.pk]))
    assert photo["Content-Type"] == "image/png"
    assert photo["X-Content-Type-Options"] == "nosniff"
    worker = client_for(cast.user(Role.EMPLOYEE))
    assert (
        worker.get(reverse("training:instruction-code", args=[instruction.pk])).status_code == 403
    )


def test_the_pages_keep_their_query_count(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    language(cast)
    workstation = station(cast)
    instruction = approved_instruction(cast, steps=2, workstation=workstation)
    code = station_code_for(workstation)
    draft = draft_of(cast, instruction)
    client = client_for(cast.user(Role.HR))
    pages = {
        "list": reverse("training:instruction-list"),
        "detail": reverse("training:instruction-detail", args=[instruction.pk]),
        "read": reverse("training:instruction-read", args=[instruction.pk]),
        "editor": reverse("training:version-edit", args=[draft.pk]),
        "station": reverse("training:station", args=[code.token]),
    }
    approved_instruction(cast, code="WI-X0", workstation=workstation)
    counts = {}
    for name, url in pages.items():
        with django_assert_max_num_queries(25) as before:
            assert client.get(url).status_code == 200
        counts[name] = len(before.captured_queries)
    # More instructions, steps and key points.
    for number in range(1, 9):
        approved_instruction(cast, code=f"WI-X{number}", steps=4, workstation=workstation)
    for version in (approved_version(instruction), draft):
        for position in range(3, 8):
            step = InstructionStep.objects.create(
                version=version, position=position, text={"nl": f"Stap {position}"}
            )
            for number in range(3):
                KeyPoint.objects.create(
                    step=step,
                    position=number,
                    kind=KeyPointKind.KNACK,
                    text={"nl": "k"},
                    reason={"nl": "r"},
                )
    for name, url in pages.items():
        with django_assert_max_num_queries(counts[name]):
            assert client.get(url).status_code == 200, name
