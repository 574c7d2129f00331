"""Running an onboarding in a real browser: the newcomer ticks his task and writes a tip on his
phone, a colleague records an observation on his phone, and the onboarding page with its plan
actions, release, observations and notebook on desktop and phone."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from leerplek.core.roles import Role
from leerplek.onboarding import services_plan
from leerplek.onboarding.models import NotebookEntry, Observation, Section, TaskOwner
from tests.browser.conftest import no_horizontal_scroll, screenshot, serious_axe_violations
from tests.factories import Cast
from tests.onboarding.factories_plan import actor, newcomer, png, running_plan, station
from tests.onboarding.walk_plan import PNG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TODAY = timezone.localdate()


def story(cast: Cast) -> Any:
    """The worker ten days in, with his own task, two tips, an observation and a second
    workstation task."""
    plan = running_plan(cast)
    me = newcomer(cast)
    hr = actor(cast, Role.HR)
    services_plan.plan_task_add(
        onboarding=plan,
        by=hr,
        section=Section.FUNCTION,
        title="Read the hygiene booklet",
        owner=TaskOwner.NEWCOMER,
        due_on=TODAY,
        how="Ask your peter for the booklet; read chapters 1 to 3.",
    )
    services_plan.plan_task_add(
        onboarding=plan,
        by=hr,
        section=Section.FUNCTION,
        title="Drive the forklift with your peter",
        owner=TaskOwner.MENTOR,
        due_on=TODAY + datetime.timedelta(days=5),
        on_work_floor=True,
        workstation=station(cast, "Forklift"),
    )
    task = plan.tasks.get(title="Run the line with your peter")
    services_plan.notebook_add(
        onboarding=plan, by=me, text="Sealer at 185 °C, pressure 3.", photo=png(), task=task
    )
    services_plan.notebook_add(
        onboarding=plan, by=me, text="Changing room: hairnet first, then apron, then wash hands."
    )
    services_plan.observation_record(
        onboarding=plan,
        by=actor(cast, Role.MENTOR),
        observed_on=TODAY - datetime.timedelta(days=2),
        task=task,
        went_well="Starts the line safely.",
        to_improve="Does not yet check every new roll of labels.",
        feedback_given="Check one pack after each roll change.",
    )
    return plan


def test_the_newcomer_ticks_a_task_and_writes_a_tip_on_his_phone(
    cast: Cast, page_for: Any, live_server: Any, tmp_path: Any
) -> None:
    plan = story(cast)
    phone = page_for(cast.user(Role.EMPLOYEE), phone=True)
    phone.goto(live_server.url + reverse("onboarding:mine"))
    tick = phone.get_by_role("button", name="I did this Read the hygiene booklet")
    box = tick.bounding_box()
    assert box is not None
    assert box["height"] >= 44
    assert no_horizontal_scroll(phone)
    screenshot(phone, "onboarding-plan-mine-phone")
    tick.click()
    phone.locator(".my-task.done .ticked").wait_for()
    assert plan.tasks.get(title="Read the hygiene booklet").done_on == TODAY
    photo = tmp_path / "knob.png"
    photo.write_bytes(PNG)
    phone.get_by_text("Write a tip").click()
    phone.fill("#note-text", "Blue knob: never above 4.")
    phone.set_input_files("#note-photo", str(photo))
    phone.get_by_role("button", name="Save the tip").click()
    phone.locator("text=Blue knob: never above 4.").wait_for()
    phone.get_by_text("1 more tip").click()
    assert NotebookEntry.objects.filter(onboarding=plan).count() == 3
    assert serious_axe_violations(phone) == []
    screenshot(phone, "onboarding-plan-mine-notebook-phone")
    assert phone.errors == []


def test_a_colleague_records_an_observation_on_his_phone(
    cast: Cast, page_for: Any, live_server: Any
) -> None:
    plan = story(cast)
    phone = page_for(cast.user(Role.MENTOR), phone=True)
    phone.goto(live_server.url + reverse("onboarding:observation-add", args=[plan.pk]))
    assert no_horizontal_scroll(phone)
    screenshot(phone, "onboarding-plan-observation-phone")
    phone.get_by_label("What went well").fill("Calm at the start-up.")
    phone.get_by_label("Feedback given").fill("Keep the checklist in your pocket.")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Save").click()
    assert Observation.objects.filter(onboarding=plan).count() == 2
    assert phone.errors == []


def test_the_onboarding_page_with_plan_release_observations_and_notebook(
    cast: Cast, page_for: Any, live_server: Any
) -> None:
    plan = story(cast)
    url = live_server.url + reverse("onboarding:onboarding-detail", args=[plan.pk])
    desktop = page_for(cast.user(Role.MANAGER))
    desktop.goto(url)
    assert desktop.locator(".plan-actions a").count() == 4
    assert desktop.locator("#notebook img").count() == 1
    assert serious_axe_violations(desktop) == []
    screenshot(desktop, "onboarding-plan-detail-desktop")
    desktop.get_by_role("button", name="Release to work alone").click()
    desktop.locator("#id_workstation").wait_for()
    screenshot(desktop, "onboarding-plan-release-desktop")
    # Preselected: the workstation that closes the most tasks (his own).
    with desktop.expect_navigation():
        desktop.get_by_role("button", name="Release", exact=True).click()
    assert plan.tasks.filter(release__isnull=False).count() == 2
    phone = page_for(cast.user(Role.MANAGER), phone=True)
    phone.goto(url)
    assert no_horizontal_scroll(phone)
    screenshot(phone, "onboarding-plan-detail-phone")
    assert desktop.errors == []
    assert phone.errors == []


def test_the_plan_forms_on_a_phone(cast: Cast, page_for: Any, live_server: Any) -> None:
    plan = story(cast)
    task = plan.tasks.get(title="Read the hygiene booklet")
    phone = page_for(cast.user(Role.HR), phone=True)
    for name, url in [
        ("task-add", reverse("onboarding:plan-task-add", args=[plan.pk])),
        ("task-remove", reverse("onboarding:plan-task-remove", args=[task.pk])),
        ("shift", reverse("onboarding:plan-shift", args=[plan.pk])),
        ("cancel", reverse("onboarding:onboarding-cancel", args=[plan.pk])),
    ]:
        phone.goto(live_server.url + url)
        assert no_horizontal_scroll(phone), name
        screenshot(phone, f"onboarding-plan-{name}-phone")
    phone.get_by_label("Why it stops").fill("Left the company on day 9.")
    phone.get_by_role("button", name="Stop the onboarding").click()
    phone.locator(".plan-ended").wait_for()
    screenshot(phone, "onboarding-plan-stopped-phone")
    assert phone.errors == []
