"""The coverage chart and the transfer plans, filled with data, on a desktop and a 390 px phone."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from leerplek.core.roles import Role
from tests.browser.conftest import no_horizontal_scroll, screenshot, serious_axe_violations
from tests.factories import Cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_filled_coverage_chart(
    cast: Cast, page_for: Any, live_server: Any, monkeypatch: Any
) -> None:
    from tests.competences import test_coverage

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kw: test_coverage.TODAY)
    team = test_coverage.changeover_team(cast)
    test_coverage.grow(cast, team["unit"], team["chg"], 3)
    manager = cast.user(Role.MANAGER)
    base = f"{live_server.url}{reverse('competences:coverage')}?unit={team['unit'].pk}"
    for slug, url in (("one", f"{base}&competence={team['chg'].pk}"), ("all", base)):
        desktop = page_for(manager)
        desktop.goto(url)
        expect(desktop.locator("svg.chart-wide")).to_be_visible()
        assert not desktop.locator("svg.chart-narrow").is_visible()
        screenshot(desktop, f"competences-coverage-{slug}-desktop")
        assert serious_axe_violations(desktop) == []
        assert desktop.errors == []
        phone = page_for(manager, phone=True)
        phone.goto(url)
        expect(phone.locator("svg.chart-narrow")).to_be_visible()
        assert not phone.locator("svg.chart-wide").is_visible()
        screenshot(phone, f"competences-coverage-{slug}-phone")
        assert no_horizontal_scroll(phone)
        assert serious_axe_violations(phone) == []


def test_transfer_plans_with_an_overdue_one(cast: Cast, page_for: Any, live_server: Any) -> None:
    from tests.competences import test_transfer_plans

    plans = test_transfer_plans.overdue_plans(cast)
    for role in (Role.HR, Role.MANAGER):
        url = f"{live_server.url}{reverse('competences:transfer-plan-list')}?status=all"
        desktop = page_for(cast.user(role))
        desktop.goto(url)
        screenshot(desktop, f"competences-transfer-plans-{role.value}-desktop")
        assert serious_axe_violations(desktop) == []
        phone = page_for(cast.user(role), phone=True)
        phone.goto(url)
        screenshot(phone, f"competences-transfer-plans-{role.value}-phone")
        assert no_horizontal_scroll(phone)
    # The status changes without JavaScript: a small form per row.
    late = plans["late"]
    phone.locator(f"#plan-status-{late.pk}").select_option("done")
    phone.locator(f"#plan-status-{late.pk}").locator("xpath=..").get_by_role("button").click()
    phone.wait_for_load_state()
    assert phone.locator(f"#plan-status-{late.pk}").input_value() == "done"
    late.refresh_from_db()
    assert late.status == "done"


def test_knowledge_at_risk_with_a_transfer_plan(
    cast: Cast, page_for: Any, live_server: Any
) -> None:
    from tests.competences import test_retention, test_transfer_plans

    risky = test_retention.sauce_kitchen(cast)
    test_transfer_plans.create(
        cast, competence=risky["sauce"], successor=cast.worker, note="Tandem with the sauce chef"
    )
    test_transfer_plans.create(cast, competence=risky["clean"], method="instruction")
    url = f"{live_server.url}{reverse('competences:retention')}"
    for role in (Role.HR, Role.KNOWLEDGE_MANAGER):
        desktop = page_for(cast.user(role))
        desktop.goto(url)
        screenshot(desktop, f"competences-retention-plans-{role.value}-desktop")
        assert serious_axe_violations(desktop) == []
        phone = page_for(cast.user(role), phone=True)
        phone.goto(url)
        screenshot(phone, f"competences-retention-plans-{role.value}-phone")
        assert no_horizontal_scroll(phone)
