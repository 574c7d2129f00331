"""The onthaal document as a PDF: what it states, rendered to an image to look at."""

from __future__ import annotations

from pathlib import Path

import pytest

from leerplek.core.roles import Role
from leerplek.onboarding import services_record
from tests.factories import Cast
from tests.onboarding.factories import colleague, designate
from tests.onboarding.factories_record import (
    acting,
    catalogue,
    confirm_all,
    give,
    newcomer_record,
    signed,
)

pytestmark = pytest.mark.django_db
SCREENSHOTS = Path(__file__).parents[1] / "browser" / "screenshots"


def pdf_text(data: bytes) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    return "\n".join(page.get_textpage().get_text_range() for page in document)


def test_the_document_states_the_record_and_renders_to_an_image(cast: Cast) -> None:
    import pypdfium2

    plan = newcomer_record(cast)
    designate(cast, plan, colleague(cast, first_name="Bart", last_name="Backx"), is_backup=True)
    rows = give(cast, plan, catalogue(cast)[:3])
    confirm_all(cast, rows[:2])
    services_record.proposals_save(
        onboarding=plan,
        text="Hearing protection at the filling line.\nForklift instruction before week 3.",
        by=acting(cast, Role.PREVENTION_ADVISER),
    )
    signed(cast, plan)
    document = signed(cast, plan, correction="The forklift instruction was moved to week 3.")
    data = document.pdf.read()
    text = pdf_text(data)
    for expected in (
        "Onthaal document",
        "Voedingsbedrijf Test",
        "Wout Werker",
        "Operator",
        "Verpakking",
        "New hire",
        "Mentor Mentor",  # the peter/meter
        "Bart Backx",  # the backup
        "Line Manager",  # the organiser of the welcome
        "Cut-resistant gloves at the slicer",
        "Hearing protection at the filling line.",
        "I.2-11",
        "I.2-21",
        "25 April 2007",
        "Version 2",
        "This version replaces version 1.",
        "The forklift instruction was moved to week 3.",
        "HR Hr",
        "For the employer (HR)",
        "not yet",
    ):
        assert expected in " ".join(text.split()), expected
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdfium = pypdfium2.PdfDocument(data)
    for index, page in enumerate(pdfium):
        image = page.render(scale=1.4).to_pil()
        name = "onthaal_document.png" if index == 0 else f"onthaal_document_p{index + 1}.png"
        image.save(SCREENSHOTS / name)
    assert len(pdfium) <= 2
