"""The machine ranking in a real browser: a production manager scores the sauce-kitchen machines
on his phone (one tap per answer); a wrong submission shows the error at the machine; HR sees the
ranking with the instruction to write first, on desktop and phone; the usage statistics."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from leerplek.core.roles import Role
from leerplek.training.models import MachineScore
from leerplek.training.services_ranking import score_field
from tests.browser.conftest import no_horizontal_scroll, screenshot, serious_axe_violations
from tests.factories import Cast, EmployeeFactory
from tests.training.factories import approved_instruction, approved_programme, assigned
from tests.training.factories_leittext import acting
from tests.training.factories_ranking import answers, kitchen, open_round, score

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tap(page: Any, machine: Any, values: dict[str, int]) -> None:
    for question, value in values.items():
        name = score_field(machine.pk, question)
        page.locator(f'label:has(input[name="{name}"][value="{value}"])').click()


def test_the_manager_scores_the_machines_on_his_phone(
    cast: Cast, page_for: Any, live_server: Any
) -> None:
    mixer, cooker, filler, labeller = kitchen(cast)
    ranking_round = open_round(cast)
    desktop = page_for(cast.user(Role.MANAGER))
    score_url = live_server.url + reverse("training:ranking-score", args=[ranking_round.pk])
    desktop.goto(score_url)
    assert serious_axe_violations(desktop) == []
    screenshot(desktop, "training-ranking-score-desktop")

    phone = page_for(cast.user(Role.MANAGER), phone=True)
    phone.goto(score_url)
    assert no_horizontal_scroll(phone)
    assert serious_axe_violations(phone) == []
    screenshot(phone, "training-ranking-score-phone")
    # Half a machine: the page comes back with the missing answers marked, nothing saved.
    tap(phone, mixer, {"problems": 5})
    phone.locator("form.score-form button[type=submit]").click()
    phone.wait_for_load_state()
    assert phone.locator("li.score-machine.has-errors").count() == 1
    assert not MachineScore.objects.exists()
    assert serious_axe_violations(phone) == []
    screenshot(phone, "training-ranking-score-errors-phone")

    tap(phone, mixer, answers(5, 4, 3, 5))
    tap(phone, cooker, answers(5, 3, 1, 1))
    tap(phone, filler, answers(2, 2, 2, 2))
    tap(phone, labeller, answers(3, 5, 4, 2))
    phone.fill(f'input[name="m{mixer.pk}_note"]', "Pomp slijt snel")
    phone.locator("form.score-form button[type=submit]").click()
    phone.wait_for_load_state()
    assert MachineScore.objects.count() == 4
    assert phone.url.endswith(reverse("training:ranking-result", args=[ranking_round.pk]))
    assert desktop.errors == []
    # The refused submission answers 422 on purpose; Chromium logs that as a console error.
    assert [error for error in phone.errors if "422" not in error] == []


def test_hr_sees_the_ranking_and_the_usage(cast: Cast, page_for: Any, live_server: Any) -> None:
    mixer, cooker, filler, _labeller = kitchen(cast)
    approved_instruction(cast, code="WI-MENG-01", workstation=mixer)
    ranking_round = open_round(cast)
    score(
        ranking_round,
        acting(cast, Role.MANAGER),
        {
            mixer: answers(5, 4, 3, 5),
            cooker: answers(5, 3, 4, 4),
            filler: answers(2, 2, 2, 2),
        },
    )
    score(ranking_round, acting(cast, Role.HR), {mixer: answers(4, 4, 4, 4)})
    sauce = approved_programme(cast, code="SAUS", title="Sausbereider")
    cleaning = approved_programme(cast, code="REIN", title="Reiniging van de ketels")
    today = timezone.localdate()
    for number, audience in enumerate(("newcomer", "intern", "ibo", "mover", "newcomer")):
        person = EmployeeFactory(organisation=cast.organisation, unit=cast.packaging)
        done = number % 2 == 0
        assigned(
            cast,
            sauce if number < 3 else cleaning,
            employee=person,
            audience=audience,
            started_on=today - datetime.timedelta(days=30 + number),
            status="completed" if done else "active",
            completed_on=today - datetime.timedelta(days=number) if done else None,
        )

    result_url = live_server.url + reverse("training:ranking-result", args=[ranking_round.pk])
    hr = page_for(cast.user(Role.HR))
    hr.goto(result_url)
    assert serious_axe_violations(hr) == []
    assert hr.locator(".ranking-next").inner_text().count("Kookketel") == 1
    screenshot(hr, "training-ranking-result-desktop")
    phone = page_for(cast.user(Role.HR), phone=True)
    phone.goto(result_url)
    assert no_horizontal_scroll(phone)
    assert serious_axe_violations(phone) == []
    screenshot(phone, "training-ranking-result-phone")

    hr.goto(live_server.url + reverse("training:ranking-list"))
    assert serious_axe_violations(hr) == []
    screenshot(hr, "training-ranking-list-desktop")
    hr.goto(live_server.url + reverse("training:usage"))
    assert serious_axe_violations(hr) == []
    screenshot(hr, "training-usage-desktop")
    phone.goto(live_server.url + reverse("training:usage"))
    assert no_horizontal_scroll(phone)
    screenshot(phone, "training-usage-phone")
    assert hr.errors == []
    assert phone.errors == []
