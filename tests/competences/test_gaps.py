"""Gaps against requirements and training needs: detection, needs from gaps, status, pages."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from leerplek.competences import need_services, services
from leerplek.competences.gap_selectors import gaps_for_unit
from leerplek.competences.models import NeedSource, NeedStatus, TrainingNeed
from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from tests.competences.factories import acting, assess, competence, level
from tests.competences.test_matrix import small_team
from tests.factories import Cast, EmployeeFactory

pytestmark = pytest.mark.django_db


def hr_access(cast: Cast) -> Any:
    return acting(cast.user(Role.HR), cast.organisation).access


def rows(cast: Cast, names: set[str]) -> set[tuple[str, str, str, str]]:
    return {
        (gap.employee.last_name, gap.competence.code, gap.required.code, gap.actual_code)
        for gap in gaps_for_unit(unit=cast.production, access=hr_access(cast))
        if gap.employee.last_name in names
    }


def test_gaps_are_levels_below_the_required_one_or_missing(cast: Cast) -> None:
    team = small_team(cast)
    assess(cast, team["ann"], team["fill"], "U")  # at the level: no gap
    assess(cast, team["ann"], team["clean"], "L")  # below
    services.assessment_record(
        employee=team["bob"],
        competence=team["fill"],
        level=level(cast.organisation, "O"),
        assessed_on=datetime.date(2025, 3, 3),
        by=acting(cast.user(Role.HR), cast.organisation),
        method="self_assessment",
    )  # a self-assessment does not close a gap
    assert rows(cast, {"Aerts", "Bos"}) == {
        ("Aerts", "CLEAN", "U", "L"),
        ("Bos", "CLEAN", "U", ""),
        ("Bos", "FILL", "U", ""),
    }


def test_a_gap_says_since_when_mandatory_and_whether_a_need_is_open(cast: Cast) -> None:
    team = small_team(cast)
    need_services.training_need_create(
        organisation=cast.organisation,
        by=cast.user(Role.HR),
        competence=team["fill"],
        employee=team["bob"],
        source=NeedSource.MANAGER,
    )
    gaps = {
        gap.competence.code: gap
        for gap in gaps_for_unit(unit=cast.packaging, access=hr_access(cast))
        if gap.employee == team["bob"]
    }
    assert gaps["FILL"].has_open_need
    assert not gaps["CLEAN"].has_open_need
    assert gaps["FILL"].since == team["bob"].hire_date
    assert gaps["FILL"].mandatory


def test_needs_from_gaps_creates_one_per_gap_and_a_second_run_none(cast: Cast) -> None:
    small_team(cast)
    manager = acting(cast.user(Role.MANAGER), cast.organisation)
    gaps = gaps_for_unit(unit=cast.packaging, access=manager.access)
    created = need_services.training_needs_from_gaps(unit=cast.packaging, by=manager, gaps=gaps)
    assert created == len(gaps) == 6  # Aerts, Bos and the worker, two competences each
    needs = TrainingNeed.objects.filter(source=NeedSource.GAP, status=NeedStatus.OPEN)
    assert needs.count() == 6
    assert {need.required_level.code for need in needs} == {"U"}  # type: ignore[union-attr]
    again = gaps_for_unit(unit=cast.packaging, access=manager.access)
    assert all(gap.has_open_need for gap in again)
    assert need_services.training_needs_from_gaps(unit=cast.packaging, by=manager, gaps=again) == 0
    assert TrainingNeed.objects.count() == 6
    entry = AuditEntry.objects.get(action="competences.training_needs_from_gaps")
    assert entry.after["count"] == 6


def test_a_person_has_one_open_need_per_competence(cast: Cast) -> None:
    team = small_team(cast)
    values = {
        "organisation": cast.organisation,
        "by": cast.user(Role.HR),
        "competence": team["fill"],
        "employee": team["ann"],
        "source": NeedSource.EMPLOYEE,
    }
    need_services.training_need_create(**values)
    with pytest.raises(ValidationError) as caught:
        need_services.training_need_create(**values)
    assert caught.value.message_dict == {
        "competence": [f"{team['ann']} already has an open training need for Competence FILL."]
    }
    assert TrainingNeed.objects.count() == 1


def test_a_need_without_person_or_unit_is_refused(cast: Cast) -> None:
    team = small_team(cast)
    with pytest.raises(ValidationError) as caught:
        need_services.training_need_create(
            organisation=cast.organisation,
            by=cast.user(Role.HR),
            competence=team["fill"],
            source=NeedSource.CONSULTATION_BODY,
        )
    assert list(caught.value.message_dict) == ["employee"]
    group = need_services.training_need_create(
        organisation=cast.organisation,
        by=cast.user(Role.HR),
        competence=team["fill"],
        unit=cast.packaging,
        source=NeedSource.CONSULTATION_BODY,
    )
    assert group.employee is None


def test_status_change_is_saved_and_audited_and_reopening_a_duplicate_refused(
    cast: Cast,
) -> None:
    team = small_team(cast)
    hr = cast.user(Role.HR)
    values = {
        "organisation": cast.organisation,
        "by": hr,
        "competence": team["fill"],
        "employee": team["ann"],
        "source": NeedSource.GAP,
    }
    first = need_services.training_need_create(**values)
    need_services.training_need_set_status(need=first, by=hr, status=NeedStatus.DROPPED)
    first.refresh_from_db()
    assert first.status == NeedStatus.DROPPED
    entry = AuditEntry.objects.get(action="competences.training_need_status_set")
    assert (entry.before, entry.after) == ({"status": "open"}, {"status": "dropped"})
    need_services.training_need_create(**values)
    with pytest.raises(ValidationError) as caught:
        need_services.training_need_set_status(need=first, by=hr, status=NeedStatus.OPEN)
    assert list(caught.value.message_dict) == ["competence"]
    with pytest.raises(ValidationError) as caught:
        need_services.training_need_set_status(need=first, by=hr, status="done")
    assert list(caught.value.message_dict) == ["status"]


# --- Pages ---------------------------------------------------------------------------------------


def grow(cast: Cast, people: int, competences: int) -> None:
    """More people in packaging with the operator function, more required competences, some
    assessed below and some at the level, and some open needs."""
    from leerplek.competences.models import Competence

    start = Competence.objects.count()
    whats = []
    for i in range(competences):
        what = competence(cast, f"G{start + i:03d}")
        services.requirement_set(
            competence=what,
            by=cast.user(Role.HR),
            level=level(cast.organisation, "U"),
            job=cast.job,
            ideal_count=2,
        )
        whats.append(what)
    for _ in range(people):
        person = EmployeeFactory(organisation=cast.organisation, unit=cast.packaging, job=cast.job)
        for index, what in enumerate(whats):
            assess(cast, person, what, "U" if index % 2 else "L")
        need_services.training_need_create(
            organisation=cast.organisation,
            by=cast.user(Role.HR),
            competence=whats[0],
            employee=person,
            source=NeedSource.GAP,
        )


@pytest.mark.parametrize(
    ("name", "role", "bound"),
    [
        ("competences:gaps", Role.MANAGER, 14),
        ("competences:gaps-export", Role.MANAGER, 12),
        ("competences:need-list", Role.MANAGER, 12),
    ],
)
def test_pages_keep_a_fixed_query_count(
    cast: Cast,
    client_for: Any,
    django_assert_max_num_queries: Any,
    name: str,
    role: Role,
    bound: int,
) -> None:
    client = client_for(cast.user(role))
    url = reverse(name) + (f"?unit={cast.packaging.pk}" if "gaps" in name else "")
    grow(cast, 2, 2)
    with django_assert_max_num_queries(bound) as small:
        assert client.get(url).status_code == 200
    grow(cast, 20, 8)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_gap_page_lists_gaps_and_the_button_turns_them_into_needs(
    cast: Cast, client_for: Any
) -> None:
    team = small_team(cast)
    assess(cast, team["ann"], team["fill"], "U")
    client = client_for(cast.user(Role.MANAGER))
    body = client.get(reverse("competences:gaps") + f"?unit={cast.packaging.pk}").content.decode()
    assert "Turn these gaps into training needs" in body
    assert "Aerts" in body
    assert "not assessed" in body
    response = client.post(reverse("competences:gaps-to-needs"), {"unit": cast.packaging.pk})
    assert response.status_code == 302
    assert TrainingNeed.objects.filter(employee=team["ann"]).count() == 1  # only CLEAN
    assert TrainingNeed.objects.count() == 5
    body = client.get(response["Location"]).content.decode()
    assert "5 training needs were created." in body
    assert "Turn these gaps into training needs" not in body


def test_gap_export_is_a_workbook_with_one_row_per_gap(cast: Cast, client_for: Any) -> None:
    small_team(cast)
    client = client_for(cast.user(Role.HR))
    response = client.get(reverse("competences:gaps-export") + f"?unit={cast.packaging.pk}")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    values = list(sheet.values)
    assert values[0][:4] == ("Person", "Unit", "Competence code", "Competence")
    assert len(values) == 1 + 6
    assert {row[2] for row in values[1:]} == {"FILL", "CLEAN"}


def test_need_list_filters_and_changes_status(cast: Cast, client_for: Any) -> None:
    team = small_team(cast)
    need = need_services.training_need_create(
        organisation=cast.organisation,
        by=cast.user(Role.HR),
        competence=team["fill"],
        employee=team["ann"],
        source=NeedSource.MANAGER,
    )
    client = client_for(cast.user(Role.MANAGER))
    assert "Aerts" in client.get(reverse("competences:need-list")).content.decode()
    response = client.post(
        reverse("competences:need-status"),
        {"need": need.pk, "status": NeedStatus.PLANNED, "filter": "open"},
    )
    assert response["Location"] == reverse("competences:need-list") + "?status=open"
    need.refresh_from_db()
    assert need.status == NeedStatus.PLANNED
    assert "Aerts" not in client.get(response["Location"]).content.decode()
    planned = client.get(reverse("competences:need-list") + "?status=planned").content.decode()
    assert "Aerts" in planned


def test_employee_is_refused_every_gap_and_need_page(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.user(Role.EMPLOYEE))
    for name in ("competences:gaps", "competences:gaps-export", "competences:need-list"):
        assert client.get(reverse(name)).status_code == 403, name
    for name in ("competences:gaps-to-needs", "competences:need-status"):
        assert client.post(reverse(name), {}).status_code == 403, name


def test_manager_sees_and_changes_only_his_units(cast: Cast, client_for: Any) -> None:
    team = small_team(cast)
    clerk = EmployeeFactory(
        organisation=cast.organisation, unit=cast.office, job=cast.job, last_name="Klerk"
    )
    need = need_services.training_need_create(
        organisation=cast.organisation,
        by=cast.user(Role.HR),
        competence=team["fill"],
        employee=clerk,
        source=NeedSource.MANAGER,
    )
    client = client_for(cast.user(Role.MANAGER))
    office = client.get(reverse("competences:gaps") + f"?unit={cast.office.pk}")
    assert "Klerk" not in office.content.decode()
    export = client.get(reverse("competences:gaps-export") + f"?unit={cast.office.pk}")
    assert len(list(load_workbook(io.BytesIO(export.content)).active.values)) == 1  # type: ignore[union-attr]
    assert "Klerk" not in client.get(reverse("competences:need-list")).content.decode()
    client.post(reverse("competences:need-status"), {"need": need.pk, "status": "dropped"})
    need.refresh_from_db()
    assert need.status == NeedStatus.OPEN
    client.post(reverse("competences:gaps-to-needs"), {"unit": cast.office.pk})
    assert not TrainingNeed.objects.filter(employee=clerk, source=NeedSource.GAP).exists()
    hr = client_for(cast.user(Role.HR))
    assert (
        "Klerk" in hr.get(reverse("competences:gaps") + f"?unit={cast.office.pk}").content.decode()
    )
