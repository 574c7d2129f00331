"""The registration pages: activities with participants and costs, bad input named at its
field, the social-balance worksheet with the records behind each figure, the exports, closing
and reopening a year, who sees what, and query counts that stay flat as the data grows."""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from leerplek.core.roles import Role
from leerplek.people.models import PersonType
from leerplek.registration.models import Activity, CostLine, FinancialYear, Participation
from tests.factories import Cast
from tests.registration.factories import activity, person
from tests.registration.test_social_balance import small_world

pytestmark = pytest.mark.django_db


def url(name: str, *args: Any) -> str:
    return reverse(f"registration:{name}", args=args)


def test_hr_registers_an_activity_then_adds_a_participant_and_a_cost(
    cast: Cast, client_for: Any
) -> None:
    client = client_for(cast.user(Role.HR))
    response = client.post(
        url("activity-create"),
        {
            "title": "Heftruckattest",
            "category": "formal",
            "organiser_kind": "external",
            "organiser_name": "Alimento",
            "start_date": "2026-03-02",
            "end_date": "2026-03-02",
            "duration_hours": "7.60",
            "place": "away",
            "counts_for_right": "on",
        },
    )
    created = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("activity-detail", created.pk)
    worker = cast.worker
    assert worker is not None
    response = client.post(
        url("participant-add", created.pk),
        {"employee": worker.pk, "hours": "7.60", "status": "completed"},
    )
    assert response.status_code == 302
    response = client.post(
        url("cost-add", created.pk), {"kind": "external", "amount": "450.00", "description": "F"}
    )
    assert response.status_code == 302
    body = client.get(url("activity-detail", created.pk)).content.decode()
    assert str(worker) in body
    assert "450.00" in body


def test_bad_input_is_named_at_its_field_and_nothing_is_saved(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.user(Role.HR))
    response = client.post(
        url("activity-create"),
        {
            "title": "Meedraaien",
            "category": "informal",
            "organiser_kind": "internal",
            "start_date": "2026-03-02",
            "end_date": "2026-03-01",
            "place": "workplace",
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Choose the kind of informal learning." in body or "end date" in body
    assert not Activity.objects.exists()
    item = activity(cast, on=datetime.date(2026, 3, 2), duration_hours=Decimal("7.60"))
    worker = cast.worker
    assert worker is not None
    response = client.post(
        url("participant-add", item.pk),
        {"employee": worker.pk, "hours": "9", "status": "completed"},
    )
    assert response.status_code == 422
    assert "At most 7.60 hours" in response.content.decode()
    newcomer = person(cast, "Later", hire_date=datetime.date(2026, 6, 1))
    response = client.post(
        url("participant-add", item.pk),
        {"employee": newcomer.pk, "hours": "2", "status": "completed"},
    )
    assert response.status_code == 422
    assert "was not employed" in response.content.decode()
    response = client.post(url("cost-add", item.pk), {"kind": "external", "amount": "-5"})
    assert response.status_code == 422
    assert not Participation.objects.exists()
    assert not CostLine.objects.exists()


def test_an_agency_worker_is_allowed_but_shown_as_not_counted(cast: Cast, client_for: Any) -> None:
    agent = person(cast, "Agent", person_type=PersonType.AGENCY)
    item = activity(cast, participants=[(agent, 8)])
    body = client_for(cast.user(Role.HR)).get(url("activity-detail", item.pk)).content.decode()
    assert "not counted in the social balance" in body


def test_the_worksheet_shows_the_24_codes_and_opens_the_records(
    cast: Cast, client_for: Any
) -> None:
    small_world(cast)
    client = client_for(cast.user(Role.HR))
    body = client.get(url("social-balance"), {"year": 2025}).content.decode()
    for code in ("5801", "5811", "58031", "58133", "5823", "5853"):
        assert f">{code}<" in body
    assert "1285.00" in body  # 5803
    assert url("sb-records", 2025, "5801") in body
    records = client.get(url("sb-records", 2025, "5801")).content.decode()
    assert "Bart" in records
    assert "Chris" in records
    assert "Ann" not in records


def test_the_works_council_sees_the_figures_but_not_the_records(
    cast: Cast, client_for: Any
) -> None:
    small_world(cast)
    client = client_for(cast.user(Role.CONSULTATION))
    body = client.get(url("social-balance"), {"year": 2025}).content.decode()
    assert "1285.00" in body
    assert url("sb-records", 2025, "5801") not in body
    assert client.get(url("sb-records", 2025, "5801")).status_code == 403
    assert client.get(url("activity-list")).status_code == 403


def test_the_exports_carry_every_code(cast: Cast, client_for: Any) -> None:
    small_world(cast)
    client = client_for(cast.user(Role.HR))
    data = json.loads(client.get(url("sb-export", 2025, "json")).content)
    assert len(data["figures"]) == 24
    assert data["figures"]["5843"] == "2529.41"
    text = client.get(url("sb-export", 2025, "csv")).content.decode()
    # Comment lines first (organisation, enterprise number, year), then code;value;label.
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    rows = [row for row in rows if not row[0].startswith("#")]
    assert rows[0] == ["code", "value", "label"]
    assert {row[0] for row in rows[1:]} >= {"5801", "58133", "5853"}
    book = load_workbook(io.BytesIO(client.get(url("sb-export", 2025, "xlsx")).content))
    values = {row[0]: row[1] for row in book.active.iter_rows(min_row=7, values_only=True)}
    assert values["5801"] == 2
    assert values["5803"] == Decimal("1285.00") or float(values["5803"]) == 1285.0
    pdf = client.get(url("sb-export", 2025, "pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_closing_freezes_the_figures_and_reopening_needs_a_reason(
    cast: Cast, client_for: Any
) -> None:
    small_world(cast)
    client = client_for(cast.user(Role.HR))
    client.post(url("year-close", 2025))
    year = FinancialYear.objects.get(end_date=datetime.date(2025, 12, 31))
    assert year.is_closed
    assert year.figures["5801"] == "2"
    heftruck = Activity.objects.get(title="Heftruck")
    response = client.post(url("cost-add", heftruck.pk), {"kind": "external", "amount": "10.00"})
    assert response.status_code == 422
    assert "closed" in response.content.decode()
    client.post(url("year-reopen", 2025), {"reason": ""})
    year.refresh_from_db()
    assert year.is_closed
    client.post(url("year-reopen", 2025), {"reason": "Factuur Alimento vergeten"})
    year.refresh_from_db()
    assert not year.is_closed


def test_a_line_manager_sees_only_activities_of_his_people(cast: Cast, client_for: Any) -> None:
    inside = person(cast, "Binnen", unit=cast.packaging)
    outside = person(cast, "Buiten", unit=cast.office)
    activity(cast, "Cursus binnen", participants=[(inside, 4)])
    elsewhere = activity(cast, "Cursus buiten", participants=[(outside, 4)])
    client = client_for(cast.user(Role.MANAGER))
    body = client.get(url("activity-list")).content.decode()
    assert "Cursus binnen" in body
    assert "Cursus buiten" not in body
    assert client.get(url("activity-detail", elsewhere.pk)).status_code == 404


def grow(cast: Cast, n: int) -> None:
    for number in range(n):
        people = [person(cast, f"P{number}-{i}") for i in range(3)]
        activity(
            cast,
            f"Cursus {number}",
            on=datetime.date(2025, 2, 1 + number),
            participants=[(p, 4) for p in people],
            costs=[("external", "100.00"), ("subsidy", "10.00")],
        )


@pytest.mark.parametrize("name", ["activity-list", "social-balance"])
def test_pages_keep_their_query_count_as_data_grows(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any, name: str
) -> None:
    client = client_for(cast.user(Role.HR))
    grow(cast, 2)
    with django_assert_max_num_queries(18) as small:
        assert client.get(url(name), {"year": 2025}).status_code == 200
    grow(cast, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url(name), {"year": 2025}).status_code == 200


def test_the_activity_page_keeps_its_query_count(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(cast.user(Role.HR))
    item = activity(cast, participants=[(person(cast, "A"), 3)], costs=[("external", "5")])
    with django_assert_max_num_queries(24) as small:
        client.get(url("activity-detail", item.pk))
    for i in range(15):
        participant = person(cast, f"B{i}")
        Participation.objects.create(activity=item, employee=participant, hours=2)
        CostLine.objects.create(activity=item, kind="travel", amount=3, employee=participant)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url("activity-detail", item.pk))
