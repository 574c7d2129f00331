"""Transfer plans for knowledge at risk: creating with its rules, status changes in the audit log,
overdue plans, who may plan for whom, the list and the retention page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from leerplek.competences import services, transfer_services
from leerplek.competences.models import Competence, TransferPlan, TransferStatus
from leerplek.competences.transfer_selectors import transfer_plan_list
from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from leerplek.people.models import Employee
from tests.competences.factories import acting, assess, competence, level
from tests.factories import Cast, EmployeeFactory

pytestmark = pytest.mark.django_db


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def sauce_of(cast: Cast) -> Competence:
    found = Competence.objects.filter(organisation=cast.organisation, code="SAUCE").first()
    return found or competence(cast, "SAUCE")


def create(cast: Cast, role: Role = Role.HR, **values: Any) -> TransferPlan:
    values.setdefault("competence", sauce_of(cast))
    values.setdefault("method", "tandem")
    values.setdefault("due_on", in_days(90))
    return transfer_services.transfer_plan_create(
        organisation=cast.organisation, by=acting(cast.user(role), cast.organisation), **values
    )


def errors_of(cast: Cast, role: Role = Role.HR, **values: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        create(cast, role, **values)
    return caught.value.message_dict


def senior(cast: Cast) -> Employee:
    return EmployeeFactory(organisation=cast.organisation, unit=cast.packaging, last_name="Senior")


def test_hr_plans_a_tandem_and_it_is_audited(cast: Cast) -> None:
    holder = senior(cast)
    plan = create(cast, holder=holder, successor=cast.worker, note="Two shifts a week")
    assert (plan.status, plan.holder, plan.successor) == ("planned", holder, cast.worker)
    entry = AuditEntry.objects.get(action="competences.transfer_plan_created")
    assert entry.object_id == str(plan.pk)
    assert entry.after["successor"] == cast.worker.pk  # type: ignore[index]


def test_every_broken_rule_is_named_by_its_field(cast: Cast) -> None:
    holder = senior(cast)
    assert errors_of(cast, method="tandem", holder=holder) == {
        "successor": ["A tandem needs a named successor."]
    }
    assert (
        "cannot be the experienced holder"
        in errors_of(cast, holder=holder, successor=holder)["successor"][0]
    )
    gone = EmployeeFactory(
        organisation=cast.organisation, unit=cast.packaging, exit_date=in_days(-3)
    )
    assert "left on" in errors_of(cast, successor=gone)["successor"][0]
    assert "in the past" in errors_of(cast, successor=cast.worker, due_on=in_days(-1))["due_on"][0]
    assert cast.other_employee is not None
    assert errors_of(cast, successor=cast.other_employee)["successor"] == [
        "Choose one from this organisation."
    ]
    assert errors_of(cast, method="carrier pigeon", successor=cast.worker)["method"]
    # Several problems at once are all reported.
    assert set(errors_of(cast, method="tandem", due_on=in_days(-1))) == {"successor", "due_on"}
    assert not TransferPlan.objects.exists()


def test_an_instruction_needs_no_successor_and_today_is_not_past(cast: Cast) -> None:
    plan = create(cast, method="instruction", holder=senior(cast), due_on=in_days(0))
    assert plan.successor is None


def test_a_manager_plans_only_for_people_of_his_units(cast: Cast) -> None:
    office_person = cast.employees[Role.HR]  # works in Kantoor, outside the manager's scope
    found = errors_of(cast, Role.MANAGER, successor=office_person)
    assert found == {
        "successor": [f"{office_person} is not in your units; choose someone you manage."]
    }
    assert "holder" in errors_of(cast, Role.MANAGER, holder=office_person, successor=cast.worker)
    plan = create(cast, Role.MANAGER, holder=senior(cast), successor=cast.worker)
    assert plan.created_by == cast.user(Role.MANAGER)
    # A knowledge manager plans for the whole organisation.
    assert create(cast, Role.KNOWLEDGE_MANAGER, successor=office_person, competence=plan.competence)


def test_status_change_is_audited_and_a_repeat_is_not(cast: Cast) -> None:
    plan = create(cast, successor=cast.worker)
    hr = acting(cast.user(Role.HR), cast.organisation)
    transfer_services.transfer_plan_set_status(plan=plan, by=hr, status="in_progress")
    transfer_services.transfer_plan_set_status(plan=plan, by=hr, status="in_progress")
    entries = AuditEntry.objects.filter(action="competences.transfer_plan_status_set")
    assert [(e.before, e.after) for e in entries] == [
        ({"status": "planned"}, {"status": "in_progress"})
    ]
    with pytest.raises(ValidationError) as caught:
        transfer_services.transfer_plan_set_status(plan=plan, by=hr, status="forgotten")
    assert "status" in caught.value.message_dict


def overdue_plans(cast: Cast) -> dict[str, TransferPlan]:
    """Plans written straight to the table, since the service refuses a due date in the past."""
    sauce = sauce_of(cast)
    made = {}
    for name, due, status in (
        ("late", in_days(-10), TransferStatus.IN_PROGRESS),
        ("done_late", in_days(-10), TransferStatus.DONE),
        ("on_time", in_days(10), TransferStatus.PLANNED),
    ):
        made[name] = TransferPlan.objects.create(
            organisation=cast.organisation,
            competence=sauce,
            method="tandem",
            successor=cast.worker,
            due_on=due,
            status=status,
            note=name,
        )
    return made


def test_overdue_is_marked_and_filtered(cast: Cast, client_for: Any) -> None:
    plans = overdue_plans(cast)
    access = acting(cast.user(Role.HR), cast.organisation).access
    flags = {p.note: p.is_overdue for p in transfer_plan_list(access=access, status="")}  # type: ignore[attr-defined]
    assert flags == {"late": True, "done_late": False, "on_time": False}
    client = client_for(cast.user(Role.HR))
    body = client.get(reverse("competences:transfer-plan-list")).content.decode()
    assert body.count('class="overdue"') == 1
    assert "done_late" not in body  # the default filter shows open plans
    body = client.get(reverse("competences:transfer-plan-list") + "?overdue=on").content.decode()
    assert "late" in body
    assert "on_time" not in body
    body = client.get(reverse("competences:transfer-plan-list") + "?status=all").content.decode()
    assert "done_late" in body
    del plans


def test_status_change_without_javascript_keeps_the_filter(cast: Cast, client_for: Any) -> None:
    plans = overdue_plans(cast)
    client = client_for(cast.user(Role.MANAGER))
    url = reverse("competences:transfer-plan-status", args=[plans["late"].pk])
    response = client.post(url, {"status": "done", "back": "status=all&next=https://evil.test"})
    assert response.status_code == 302
    assert response["Location"] == reverse("competences:transfer-plan-list") + "?status=all"
    plans["late"].refresh_from_db()
    assert plans["late"].status == "done"
    page = client.get(response["Location"]).content.decode()
    assert "is now done" in page


def test_who_may_plan(cast: Cast, client_for: Any) -> None:
    url = reverse("competences:transfer-plan-list")
    for role in (Role.EMPLOYEE, Role.COACH, Role.CONSULTATION, Role.PREVENTION_ADVISER):
        assert client_for(cast.user(role)).get(url).status_code == 403, role
    for role in (Role.HR, Role.ADMIN, Role.KNOWLEDGE_MANAGER, Role.MANAGER):
        assert client_for(cast.user(role)).get(url).status_code == 200, role


def test_a_manager_sees_and_changes_only_plans_in_his_reach(cast: Cast, client_for: Any) -> None:
    mine = create(cast, successor=cast.worker, note="packaging plan")
    office = create(
        cast,
        successor=cast.employees[Role.HR],
        competence=mine.competence,
        note="office plan",
    )
    client = client_for(cast.user(Role.MANAGER))
    body = client.get(reverse("competences:transfer-plan-list")).content.decode()
    assert "packaging plan" in body
    assert "office plan" not in body
    url = reverse("competences:transfer-plan-status", args=[office.pk])
    assert client.post(url, {"status": "done"}).status_code == 404
    office.refresh_from_db()
    assert office.status == "planned"


def test_create_page_shows_errors_next_to_fields_and_saves(cast: Cast, client_for: Any) -> None:
    sauce = sauce_of(cast)
    client = client_for(cast.user(Role.HR))
    url = reverse("competences:transfer-plan-create")
    page = client.get(f"{url}?competence={sauce.pk}").content.decode()
    assert f'<option value="{sauce.pk}" selected>' in page
    response = client.post(
        url,
        {"competence": sauce.pk, "method": "tandem", "due_on": in_days(-2).isoformat()},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "A tandem needs a named successor." in body
    assert "is in the past" in body
    response = client.post(
        url,
        {
            "competence": sauce.pk,
            "method": "tandem",
            "successor": cast.worker.pk,
            "due_on": in_days(30).isoformat(),
        },
    )
    assert response.status_code == 302
    assert TransferPlan.objects.get().successor == cast.worker


def test_list_query_count_is_fixed(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(cast.user(Role.HR))
    url = reverse("competences:transfer-plan-list")
    create(cast, successor=cast.worker, holder=senior(cast))
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    sauce = TransferPlan.objects.get().competence
    for _n in range(8):
        create(cast, successor=cast.worker, holder=senior(cast), competence=sauce)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_retention_page_shows_open_plans_and_the_add_action(cast: Cast, client_for: Any) -> None:
    sauce = sauce_of(cast)
    services.requirement_set(
        competence=sauce,
        by=cast.user(Role.HR),
        job=cast.job,
        level=level(cast.organisation, "U"),
        ideal_count=2,
    )
    assess(cast, cast.worker, sauce, "U")
    create(cast, successor=senior(cast), holder=cast.worker, competence=sauce)
    for role, names in ((Role.HR, True), (Role.KNOWLEDGE_MANAGER, False)):
        body = client_for(cast.user(role)).get(reverse("competences:retention")).content.decode()
        assert "Train a successor in tandem" in body
        assert f"{reverse('competences:transfer-plan-create')}?competence={sauce.pk}" in body
        assert ("Senior" in body) is names
