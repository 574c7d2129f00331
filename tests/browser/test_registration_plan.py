"""The training plan in a real browser: HR's plan page with planned against realised and the
chart, a draft shared too late and then in time, the deadlines; a representative comments on
his phone and sees the needs as counts; an employee puts a need forward on his phone; HR decides
how a need is met; a manager follows up a course; the filing copy drawn to a PNG to look at."""

from __future__ import annotations

import datetime
import shutil
import subprocess
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from leerplek.core.roles import Role
from leerplek.registration import services_plan
from leerplek.registration.models import PlanStatus, SubmittedNeed, TrainingPlan, TransferFollowUp
from tests.browser.conftest import (
    SCREENSHOTS,
    no_horizontal_scroll,
    screenshot,
    serious_axe_violations,
)
from tests.factories import Cast
from tests.registration.factories import activity, person
from tests.registration.factories_plan import acting, competence, gap_need, plan_with_lines

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = datetime.date


def world(cast: Cast) -> TrainingPlan:
    today = datetime.date.today()
    plan, forklift, kettle = plan_with_lines(cast, year=today.year)
    ann, bart = (
        person(cast, "Ann", "f", last_name="Peeters"),
        person(cast, "Bart", last_name="Claes"),
    )
    activity(
        cast, "Heftruck voorjaar", on=D(today.year, 2, 2), plan_line=forklift,
        participants=[(ann, "7.60"), (bart, "7.60")],
        costs=[("external", "580.00"), ("subsidy", "100.00")],
    )  # fmt: skip
    activity(
        cast, "Mengketel", category="informal", on=D(today.year, 3, 9), days=5, plan_line=kettle,
        participants=[(ann, "24")], costs=[("trainer_pay", "240.00")],
    )  # fmt: skip
    need = gap_need(cast, ann, competence(cast, "HEF", "Heftruck rijden"))
    services_plan.need_resolve(
        need=need, by=acting(cast, Role.HR), learning_form="external", plan_line=forklift
    )
    return plan


def test_hr_runs_the_plan_and_its_consultation(cast: Cast, page_for: Any, live_server: Any) -> None:
    plan = world(cast)
    desktop = page_for(cast.user(Role.HR))
    desktop.goto(live_server.url + reverse("registration:plan-list"))
    expect(desktop.get_by_role("heading", name=f"Legal deadlines of {plan.year}")).to_be_visible()
    assert serious_axe_violations(desktop) == []
    screenshot(desktop, "registration-plan-list-desktop")
    desktop.get_by_role("link", name=str(plan)).first.click()
    expect(desktop.locator("h1")).to_have_text(str(plan))
    expect(desktop.get_by_role("cell", name="2 of 6")).to_be_visible()
    expect(desktop.get_by_role("img", name="Realised hours by month")).to_be_visible()
    form = desktop.locator("form[action$='/share/']")
    form.get_by_label("Draft shared on").fill(f"{plan.year}-02-01")
    form.get_by_label("Meeting date").fill(f"{plan.year}-02-05")
    form.get_by_role("button", name="Share the draft").click()
    expect(
        desktop.locator(
            "form[action$='/share/'] .field-error, form[action$='/share/'] .errorlist"
        ).first
    ).to_contain_text("The draft goes to the body at least 15 days before the meeting")
    screenshot(desktop, "registration-plan-share-refused-desktop")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    form = desktop.locator("form[action$='/share/']")
    form.get_by_label("Meeting date").fill(f"{plan.year}-02-20")
    form.get_by_role("button", name="Share the draft").click()
    expect(desktop.get_by_text("The plan was saved.")).to_be_visible()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.IN_CONSULTATION
    assert serious_axe_violations(desktop) == []
    screenshot(desktop, "registration-plan-detail-desktop")
    desktop.goto(live_server.url + reverse("registration:need-list") + "?kind=gap")
    desktop.get_by_role("link", name="Change Heftruck rijden").click()
    expect(desktop.get_by_role("heading", name="Suggestion")).to_be_visible()
    assert serious_axe_violations(desktop) == []
    screenshot(desktop, "registration-plan-need-resolve-desktop")
    desktop.get_by_label("Peter/meter guidance").check()
    desktop.get_by_role("button", name="Save").click()
    expect(desktop.get_by_text("other than suggested")).to_be_visible()
    assert serious_axe_violations(desktop) == []
    screenshot(desktop, "registration-plan-needs-desktop")
    phone = page_for(cast.user(Role.HR), phone=True)
    for name in ("registration:plan-list", "registration:need-list"):
        phone.goto(live_server.url + reverse(name) + ("?kind=gap" if "need" in name else ""))
        assert no_horizontal_scroll(phone)
        assert serious_axe_violations(phone) == []
        screenshot(phone, f"registration-plan-{name.split(':')[1]}-phone")


def test_a_representative_comments_on_his_phone(
    cast: Cast, page_for: Any, live_server: Any
) -> None:
    plan = world(cast)
    services_plan.plan_share(
        plan=plan,
        by=acting(cast, Role.HR),
        body="works_council",
        shared_on=D(plan.year, 2, 1),
        meeting_on=D(plan.year, 2, 20),
    )
    phone = page_for(cast.user(Role.CONSULTATION), phone=True)
    phone.goto(live_server.url + reverse("registration:plan-detail", args=[plan.pk]))
    phone.get_by_label("Comment of the consultation body").fill("Meer aandacht voor 50-plussers.")
    phone.get_by_role("button", name="Add the comment").click()
    expect(phone.get_by_text("Meer aandacht voor 50-plussers.")).to_be_visible()
    assert no_horizontal_scroll(phone)
    assert serious_axe_violations(phone) == []
    body = phone.content()
    assert "Peeters" not in body
    assert "Claes" not in body
    screenshot(phone, "registration-plan-detail-phone")
    phone.goto(live_server.url + reverse("registration:need-list"))
    expect(phone.get_by_role("cell", name="Heftruck rijden")).to_be_visible()
    assert no_horizontal_scroll(phone)
    assert serious_axe_violations(phone) == []
    assert "Peeters" not in phone.content()
    screenshot(phone, "registration-plan-needs-phone")


def test_an_employee_puts_a_need_forward_on_his_phone(
    cast: Cast, page_for: Any, live_server: Any
) -> None:
    phone = page_for(cast.user(Role.EMPLOYEE), phone=True)
    phone.goto(live_server.url + reverse("registration:need-submit"))
    expect(phone.get_by_text("What handy things did you find?")).to_be_visible()
    phone.get_by_label("What should be learnt?").fill("De nieuwe etiketteermachine instellen")
    phone.get_by_role("button", name="Send").click()
    expect(phone.locator(".field-error, .errorlist").first).to_be_visible()
    assert no_horizontal_scroll(phone)
    screenshot(phone, "registration-plan-need-form-error-phone")
    phone.get_by_label("For whom?").fill("Ploeg B, verpakking")
    phone.get_by_role("button", name="Send").click()
    expect(phone.get_by_text("Thank you")).to_be_visible()
    assert no_horizontal_scroll(phone)
    assert serious_axe_violations(phone) == []
    screenshot(phone, "registration-plan-need-form-phone")
    assert SubmittedNeed.objects.get().source == "employee"


def test_a_manager_follows_up_a_course(cast: Cast, page_for: Any, live_server: Any) -> None:
    today = datetime.date.today()
    assert cast.worker is not None
    activity(
        cast, "Heftruckattest", on=today - datetime.timedelta(days=50),
        participants=[(cast.worker, "7.60")],
    )  # fmt: skip
    services_plan.transfer_followups_create(today=today)
    for phone in (False, True):
        page = page_for(cast.user(Role.MANAGER), phone=phone)
        page.goto(live_server.url + reverse("registration:transfer-list"))
        expect(page.get_by_role("cell", name="Heftruckattest").first).to_be_visible()
        assert no_horizontal_scroll(page)
        assert serious_axe_violations(page) == []
        screenshot(page, f"registration-plan-transfers-{'phone' if phone else 'desktop'}")
    page.get_by_role("link", name=f"Record {cast.worker}, Heftruckattest").click()
    page.get_by_label("The manager: what do you see at work? What would help?").fill(
        "Rijdt zelfstandig, laden nog samen."
    )
    page.get_by_label("Status").select_option("partly")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The follow-up was saved.")).to_be_visible()
    assert TransferFollowUp.objects.get().status == "partly"


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_the_plan_pdf_drawn_to_png(cast: Cast, client: Any) -> None:
    from leerplek.registration.views_plan import render_plan_pdf

    plan = world(cast)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for filing in (False, True):
        name = "registration-plan-pdf" + ("-filing" if filing else "")
        source = SCREENSHOTS / f"{name}.pdf"
        source.write_bytes(render_plan_pdf(plan, filing=filing))
        subprocess.run(
            ["pdftoppm", "-png", "-r", "70", "-singlefile", str(source), str(SCREENSHOTS / name)],
            check=True,
        )
        assert (SCREENSHOTS / f"{name}.png").stat().st_size > 10_000


def test_hr_adjusts_a_line_during_the_year(cast: Cast, page_for: Any, live_server: Any) -> None:
    plan = world(cast)
    line = plan.lines.get(title="Heftruckattest")
    services_plan.line_update(line=line, by=acting(cast, Role.HR), planned_participants=8)
    for phone in (False, True):
        page = page_for(cast.user(Role.HR), phone=phone)
        page.goto(live_server.url + reverse("registration:plan-line-edit", args=[plan.pk, line.pk]))
        expect(page.get_by_role("heading", name="Changes to this line")).to_be_visible()
        assert no_horizontal_scroll(page)
        assert serious_axe_violations(page) == []
        screenshot(page, f"registration-plan-line-edit-{'phone' if phone else 'desktop'}")
    page.get_by_label("Planned cost (EUR)").fill("2000")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The plan was saved.")).to_be_visible()
    line.refresh_from_db()
    assert str(line.planned_cost) == "2000.00"
    page.goto(live_server.url + reverse("registration:plan-edit", args=[plan.pk]))
    page.get_by_label("Budget (EUR)").fill("-5")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".field-error, .errorlist").first).to_be_visible()
    assert no_horizontal_scroll(page)
    screenshot(page, "registration-plan-edit-phone")
