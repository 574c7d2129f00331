"""The scheduling pages and API: who may open them, computing and publishing from the page, the
explanation box, the iCalendar downloads, one's own sessions, the forms, query bounds."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from leerplek.core.roles import Role
from leerplek.registration import services_schedule as services
from leerplek.registration.models import (
    ProductionPeak,
    Room,
    RoundStatus,
    ScheduledSession,
    ScheduleRound,
    ScheduleSession,
    StaffingMinimum,
)
from tests.api.conftest import ApiClient, make_token
from tests.factories import Cast, make_unit
from tests.registration.factories_schedule import day, db_round
from tests.registration.test_schedule_ical import parse

pytestmark = pytest.mark.django_db


def url(name: str, **kwargs: Any) -> str:
    return reverse(f"registration:{name}", kwargs=kwargs)


def test_hr_sees_the_rounds_and_others_are_refused(cast: Cast, client_for: Any) -> None:
    round = db_round(cast)
    body = client_for(cast.user(Role.HR)).get(url("schedule-list")).content.decode()
    assert "Voorjaar" in body
    assert url("schedule-detail", round_id=round.pk) in body
    for role in (Role.EMPLOYEE, Role.MANAGER, Role.CONSULTATION):
        response = client_for(cast.user(role)).get(url("schedule-list"))
        assert response.status_code == 403, role
        response = client_for(cast.user(role)).get(url("schedule-detail", round_id=round.pk))
        assert response.status_code == 403, role


def test_another_organisations_round_does_not_exist(cast: Cast, client: Client) -> None:
    round = db_round(cast)
    client.force_login(cast.other_hr)  # type: ignore[arg-type]
    assert client.get(url("schedule-detail", round_id=round.pk)).status_code == 404
    assert client.post(url("schedule-solve", round_id=round.pk)).status_code == 404


def test_compute_and_publish_from_the_page(cast: Cast, client_for: Any, settings: Any) -> None:
    settings.LEERPLEK = {**settings.LEERPLEK, "SCHEDULER_TIME_LIMIT_S": 5}
    round = db_round(cast)
    client = client_for(cast.user(Role.HR))
    detail = url("schedule-detail", round_id=round.pk)
    page = client.get(detail).content.decode()
    assert "Compute schedule" in page
    assert "Publish" not in page
    response = client.post(url("schedule-solve", round_id=round.pk), follow=True)
    body = response.content.decode()
    assert "A schedule was computed for 2 sessions." in body
    assert "Zaal 1" in body
    assert "Heftruck 1" in body
    assert url("schedule-ics", round_id=round.pk) in body
    response = client.post(url("schedule-publish", round_id=round.pk), follow=True)
    assert "The schedule is published" in response.content.decode()
    round.refresh_from_db()
    assert round.status == RoundStatus.PUBLISHED
    page = client.get(detail).content.decode()
    assert "Compute schedule" not in page


def test_the_page_explains_why_there_is_no_schedule(cast: Cast, client_for: Any) -> None:
    round = db_round(cast)
    services.minimum_create(organisation=cast.organisation, by=None, unit=cast.packaging, minimum=7)
    services.round_solve(round=round, by=None, seconds=5)
    body = client_for(cast.user(Role.HR)).get(url("schedule-detail", round_id=round.pk))
    text = body.content.decode()
    assert "Why there is no schedule" in text
    assert "Staffing minimum of Verpakking (early)" in text


def test_the_round_calendar_downloads(cast: Cast, client_for: Any) -> None:
    round = db_round(cast)
    services.round_solve(round=round, by=None, seconds=5)
    response = client_for(cast.user(Role.HR)).get(url("schedule-ics", round_id=round.pk))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    events = parse(response.content.decode())
    assert sorted(e["SUMMARY"] for e in events) == ["Heftruck 1", "Heftruck 2"]
    assert all(e["LOCATION"] == "Zaal 1" for e in events)


def test_a_worker_sees_his_published_sessions_only(cast: Cast, client_for: Any) -> None:
    worker = cast.employees[Role.EMPLOYEE]
    round = db_round(cast)
    session = ScheduleSession.objects.filter(round=round).order_by("title").first()
    session.participants.add(worker)  # type: ignore[union-attr]
    services.round_solve(round=round, by=None, seconds=5)
    client = client_for(cast.user(Role.EMPLOYEE))
    assert "Heftruck 1" not in client.get(url("my-sessions")).content.decode()
    services.round_publish(round=round, by=None)
    body = client.get(url("my-sessions")).content.decode()
    assert "Heftruck 1" in body
    assert "Heftruck 2" not in body
    assert url("my-sessions-ics") in body
    events = parse(client.get(url("my-sessions-ics")).content.decode())
    assert [e["SUMMARY"] for e in events] == ["Heftruck 1"]


def test_the_trainer_sees_the_sessions_he_gives(cast: Cast, client_for: Any) -> None:
    round = db_round(cast)
    services.round_solve(round=round, by=None, seconds=5)
    services.round_publish(round=round, by=None)
    body = client_for(cast.user(Role.HR)).get(url("my-sessions")).content.decode()
    assert "Heftruck 1" in body
    assert "Heftruck 2" in body


def test_the_forms_add_a_round_session_room_peak_and_minimum(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.user(Role.HR))
    response = client.post(
        url("schedule-create"), {"title": "Najaar", "start": "2026-09-07", "end": "2026-09-18"}
    )
    round = ScheduleRound.objects.get(title="Najaar")
    assert response["Location"] == url("schedule-detail", round_id=round.pk)
    client.post(url("schedule-room-create", round_id=round.pk), {"name": "Labo", "capacity": 6})
    room = Room.objects.get(name="Labo")
    client.post(
        url("schedule-session-create", round_id=round.pk),
        {
            "title": "EHBO",
            "hours": "3",
            "room": room.pk,
            "participants": [cast.worker.pk],  # type: ignore[union-attr]
            "earliest": "2026-09-07",
            "latest": "2026-09-11",
        },
    )
    assert ScheduleSession.objects.get(title="EHBO").room == room
    client.post(
        url("schedule-peak-create", round_id=round.pk),
        {"unit": cast.packaging.pk, "start": "2026-09-08", "end": "2026-09-09"},
    )
    assert ProductionPeak.objects.filter(unit=cast.packaging).exists()
    client.post(
        url("schedule-minimum-create", round_id=round.pk),
        {"unit": cast.packaging.pk, "part": "early", "minimum": 2},
    )
    assert StaffingMinimum.objects.get(unit=cast.packaging).minimum == 2
    body = client.get(url("schedule-detail", round_id=round.pk)).content.decode()
    assert "EHBO" in body
    assert "Labo" in body


def test_a_bad_session_is_shown_with_its_error(cast: Cast, client_for: Any) -> None:
    round = db_round(cast)
    response = client_for(cast.user(Role.HR)).post(
        url("schedule-session-create", round_id=round.pk),
        {"title": "X", "hours": "2", "participants": [cast.worker.pk], "latest": "2026-01-01"},  # type: ignore[union-attr]
    )
    assert response.status_code == 422
    assert "The window must overlap the round" in response.content.decode()


def test_the_detail_page_keeps_a_fixed_number_of_queries(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(cast.user(Role.HR))
    small = db_round(cast, sessions=1)
    services.round_solve(round=small, by=None, seconds=5)
    with django_assert_max_num_queries(14):
        client.get(url("schedule-detail", round_id=small.pk))
    large = db_round(cast, sessions=5)
    store = make_unit(cast.organisation, "Magazijn")
    services.peak_create(
        organisation=cast.organisation, by=None, unit=store, start=day(0), end=day(1)
    )
    services.minimum_create(organisation=cast.organisation, by=None, unit=store, minimum=0)
    services.round_solve(round=large, by=None, seconds=5)
    assert ScheduledSession.objects.filter(session__round=large).count() == 5
    with django_assert_max_num_queries(14):
        client.get(url("schedule-detail", round_id=large.pk))
    with django_assert_max_num_queries(12):
        client.get(url("schedule-list"))
    with django_assert_max_num_queries(12):
        client.get(url("schedule-ics", round_id=large.pk))
    services.round_publish(round=large, by=None)
    with django_assert_max_num_queries(12):
        client.get(url("my-sessions"))


# --- the API -----------------------------------------------------------------------------------


def api(cast: Cast, role: Role) -> ApiClient:
    return ApiClient(Client(), make_token(cast.user(role), cast.organisation))


def test_the_api_lists_rounds_and_gives_a_schedule(cast: Cast) -> None:
    round = db_round(cast)
    services.round_solve(round=round, by=None, seconds=5)
    client = api(cast, Role.HR)
    body = client.get("/registration/schedule/rounds").json()
    (item,) = body["items"]
    assert (item["title"], item["status"], item["sessions"], item["placed"]) == (
        "Voorjaar",
        "solved",
        2,
        2,
    )
    detail = client.get(f"/registration/schedule/rounds/{round.pk}").json()
    assert detail["findings"] == []
    assert {s["title"] for s in detail["schedule"]} == {"Heftruck 1", "Heftruck 2"}
    assert all(s["placement"]["room"] == "Zaal 1" for s in detail["schedule"])
    assert detail["schedule"][0]["participants"] == 3


def test_the_api_explains_an_infeasible_round(cast: Cast) -> None:
    round = db_round(cast)
    services.peak_create(
        organisation=cast.organisation, by=None, unit=cast.packaging, start=day(0), end=day(4)
    )
    services.round_solve(round=round, by=None, seconds=5)
    detail = api(cast, Role.HR).get(f"/registration/schedule/rounds/{round.pk}").json()
    assert detail["findings"][0]["code"] == "peak_blocks"
    assert "Verpakking" in detail["findings"][0]["message"]


def test_the_api_refuses_others(cast: Cast) -> None:
    round = db_round(cast)
    assert api(cast, Role.EMPLOYEE).get("/registration/schedule/rounds").status_code == 403
    other = ApiClient(Client(), make_token(cast.other_hr, cast.other_organisation))  # type: ignore[arg-type]
    assert other.get(f"/registration/schedule/rounds/{round.pk}").status_code == 404
    assert other.get("/registration/schedule/rounds").json()["items"] == []


def test_the_api_list_keeps_a_fixed_number_of_queries(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    client = api(cast, Role.HR)
    round = db_round(cast, sessions=1)
    with django_assert_max_num_queries(10):
        client.get(f"/registration/schedule/rounds/{round.pk}")
    for _ in range(3):
        db_round(cast, sessions=3)
    big = ScheduleRound.objects.order_by("-pk").first()
    with django_assert_max_num_queries(10):
        client.get("/registration/schedule/rounds")
    with django_assert_max_num_queries(10):
        client.get(f"/registration/schedule/rounds/{big.pk}")  # type: ignore[union-attr]


SCHEDULE_URLS = [
    "schedule-list",
    "schedule-create",
    "my-sessions",
    "my-sessions-ics",
    "schedule-detail",
    "schedule-solve",
    "schedule-publish",
    "schedule-ics",
    "schedule-session-create",
    "schedule-room-create",
    "schedule-peak-create",
    "schedule-minimum-create",
    "schedule-pattern-create",
    "schedule-profile-set",
    "schedule-absence-create",
    "schedule-absence-delete",
    "schedule-session-delete",
    "schedule-room-delete",
    "schedule-peak-delete",
    "schedule-minimum-delete",
]

PLAIN_URLS = {"schedule-list", "schedule-create", "my-sessions", "my-sessions-ics"}


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_every_schedule_url_follows_the_permission_table(
    cast: Cast, client_for: Any, role: Role
) -> None:
    from django.urls import resolve

    from leerplek.core.permissions import PERMISSIONS
    from tests.registration.walk_schedule import arguments

    values = arguments(cast)
    client = client_for(cast.user(role))
    for name in SCHEDULE_URLS:
        kwargs = {} if name in PLAIN_URLS else {"round_id": values["round_id"]}
        if name == "schedule-absence-delete":
            kwargs["absence_id"] = values["absence_id"]
        if name == "schedule-session-delete":
            kwargs["schedule_session_id"] = values["schedule_session_id"]
        for key in ("room_id", "peak_id", "minimum_id"):
            if name == f"schedule-{key.split('_')[0]}-delete":
                kwargs[key] = values[key]
        address = reverse(f"registration:{name}", kwargs=kwargs)
        response = client.get(address)
        if response.status_code == 405:
            response = client.post(address, {})
        rule = PERMISSIONS[resolve(address).func.required_perm]  # type: ignore[attr-defined]
        allowed = role in rule.roles or (rule.own and not kwargs)
        if allowed:
            assert response.status_code not in (403, 404, 500), (name, response.status_code)
        else:
            assert response.status_code in (403, 404), (name, response.status_code)
