"""Work instructions in a real browser: the reader at the workstation on a 390 px phone in Polish
and in Arabic (right to left) with photos, one step per screen, and the author's TWI editor."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from leerplek.core.roles import Role
from leerplek.training.models import KeyPoint, KeyPointKind
from tests.browser.conftest import no_horizontal_scroll, screenshot, serious_axe_violations
from tests.factories import Cast
from tests.training.factories import approved_instruction, station
from tests.training.factories_instructions import (
    approved_version,
    draft_of,
    language,
    with_photos,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sauce_instruction(cast: Cast) -> Any:
    language(cast, code="pl", name="Polski")
    language(cast, code="ar", name="العربية", rtl=True)
    instruction = with_photos(
        approved_instruction(
            cast,
            steps=3,
            workstation=station(cast),
            translations={"pl": "PL", "ar": "AR"},
        )
    )
    step = approved_version(instruction).steps.get(position=2)
    KeyPoint.objects.create(
        step=step,
        position=2,
        kind=KeyPointKind.QUALITY,
        text={"nl": "Emmer recht onder de vulkop"},
        reason={"nl": "Anders loopt de saus over de rand"},
    )
    return instruction


@pytest.mark.parametrize("lang", ["pl", "ar"])
def test_the_worker_reads_the_instruction_on_his_phone(
    cast: Cast, page_for: Any, live_server: Any, lang: str
) -> None:
    instruction = sauce_instruction(cast)
    phone = page_for(cast.user(Role.EMPLOYEE), phone=True)
    url = reverse("training:instruction-read", args=[instruction.pk])
    phone.goto(f"{live_server.url}{url}?lang={lang}")
    phone.locator("img.step-photo").first.wait_for(state="visible")
    assert no_horizontal_scroll(phone)
    assert serious_axe_violations(phone) == []
    direction = phone.locator(".instruction-reading").get_attribute("dir")
    assert direction == ("rtl" if lang == "ar" else "ltr")
    screenshot(phone, f"training-instruction-read-{lang}-phone")
    phone.goto(f"{live_server.url}{url}?lang={lang}&step=2")
    assert phone.locator("li.twi-step").count() == 1
    screenshot(phone, f"training-instruction-one-step-{lang}-phone")
    assert phone.errors == []


def test_the_author_writes_the_next_version(cast: Cast, page_for: Any, live_server: Any) -> None:
    instruction = sauce_instruction(cast)
    draft = draft_of(cast, instruction)
    author = page_for(cast.user(Role.INSTRUCTOR))
    author.goto(live_server.url + reverse("training:version-edit", args=[draft.pk]))
    assert serious_axe_violations(author) == []
    screenshot(author, "training-instruction-editor-desktop")
    author.fill("#id_text", "Sluit de deksel")
    author.locator("form[action$='/steps/new/'] button[type=submit]").click()
    author.wait_for_load_state()
    assert draft.steps.filter(text__nl="Sluit de deksel").exists()
    phone = page_for(cast.user(Role.INSTRUCTOR), phone=True)
    phone.goto(live_server.url + reverse("training:version-edit", args=[draft.pk]))
    assert no_horizontal_scroll(phone)
    screenshot(phone, "training-instruction-editor-phone")
    assert author.errors == []
