"""A line manager's home page shows his team's gaps, expiring qualifications and releases."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from leerplek.core.roles import Role
from tests.competences.factories import assess
from tests.competences.test_matrix import small_team
from tests.factories import Cast, EmployeeFactory, WorkstationFactory

pytestmark = pytest.mark.django_db


def test_manager_home_counts_gaps_expiry_and_releases(cast: Cast, client_for: Any) -> None:
    team = small_team(cast)
    station = WorkstationFactory(organisation=cast.organisation, unit=cast.packaging)
    team["ann"].workstation = station
    team["ann"].save()
    soon = timezone.localdate() + datetime.timedelta(days=30)
    record = assess(cast, team["ann"], team["fill"], "U")
    record.valid_until = soon
    record.save()
    body = client_for(cast.user(Role.MANAGER)).get(reverse("core:home")).content.decode()
    assert "Competences in my team" in body
    # Ann lacks CLEAN, Bob and Wout (same function) lack both: 5 gaps over 3 people.
    assert "5 gaps against the requirements (3 people)" in body
    assert "1 qualification expires within 60 days" in body
    assert "1 person is not yet released to work alone at their workstation" in body


def test_a_renewed_qualification_no_longer_counts_as_expiring(cast: Cast, client_for: Any) -> None:
    team = small_team(cast)
    old = assess(
        cast, team["ann"], team["fill"], "U", on=timezone.localdate() - datetime.timedelta(days=300)
    )
    old.valid_until = timezone.localdate() + datetime.timedelta(days=20)
    old.save()
    renewed = assess(cast, team["ann"], team["fill"], "U", on=timezone.localdate())
    renewed.valid_until = timezone.localdate() + datetime.timedelta(days=700)
    renewed.save()
    body = client_for(cast.user(Role.MANAGER)).get(reverse("core:home")).content.decode()
    assert "expires within" not in body


def test_hr_home_has_no_team_card(cast: Cast, client_for: Any) -> None:
    body = client_for(cast.user(Role.HR)).get(reverse("core:home")).content.decode()
    assert "Competences in my team" not in body


def test_manager_home_keeps_a_fixed_query_count(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    team = small_team(cast)
    client = client_for(cast.user(Role.MANAGER))
    with django_assert_max_num_queries(40) as small:
        client.get(reverse("core:home"))
    for _ in range(30):
        person = EmployeeFactory(organisation=cast.organisation, unit=cast.packaging, job=cast.job)
        assess(cast, person, team["fill"], "L")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse("core:home")).status_code == 200
