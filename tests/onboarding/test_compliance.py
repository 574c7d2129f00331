"""The compliance page narrows its lists to a unit and shows a long list in part."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from leerplek.core.roles import Role
from leerplek.onboarding import selectors
from tests.factories import Cast, EmployeeFactory
from tests.onboarding.factories import start, templates

pytestmark = pytest.mark.django_db


def waiting(cast: Cast, unit: Any, count: int) -> None:
    for _ in range(count):
        start(
            cast, employee=EmployeeFactory(organisation=cast.organisation, unit=unit, job=cast.job)
        )


def test_a_unit_narrows_the_lists_but_not_the_totals(cast: Cast, client: Any) -> None:
    templates(cast)
    waiting(cast, cast.packaging, 2)
    waiting(cast, cast.office, 1)
    client.force_login(cast.user(Role.HR))
    everything = client.get(reverse("onboarding:compliance"))
    assert len(everything.context["data"].missing) == 3
    narrowed = client.get(reverse("onboarding:compliance"), {"unit": cast.packaging.path})
    data = narrowed.context["data"]
    assert [row.employee.unit for row in data.missing] == [cast.packaging, cast.packaging]
    assert data.without_guide == 3  # the unit table and the totals stay whole
    assert data.unit_name == cast.packaging.name
    assert "Show all units" in narrowed.content.decode()


def test_a_long_list_says_how_many_it_leaves_out(
    cast: Cast, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "COMPLIANCE_LIST_LIMIT", 2)
    templates(cast)
    waiting(cast, cast.packaging, 3)
    client.force_login(cast.user(Role.HR))
    page = client.get(reverse("onboarding:compliance")).content.decode()
    assert "Showing the first 2 of 3. Choose a unit above to see the others." in page
