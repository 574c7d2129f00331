"""The iCalendar writer against RFC 5545, checked with a small parser: CRLF line endings, lines
of at most 75 octets folded with a leading space (never inside a UTF-8 character), escaped TEXT,
balanced components, UID/DTSTAMP/DTSTART/DTEND in UTC."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from leerplek.registration.ical_schedule import calendar, escape_text, fold
from leerplek.registration.selectors_schedule import BRUSSELS, Event


def unfold(text: str) -> list[str]:
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", ""), "bare LF"
    assert "\r" not in text.replace("\r\n", ""), "bare CR"
    raw = text.split("\r\n")[:-1]
    for line in raw:
        assert len(line.encode("utf-8")) <= 75, line
    lines: list[str] = []
    for line in raw:
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return lines


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], value)


def parse(text: str) -> list[dict[str, str]]:
    """The VEVENTs as property dicts; asserts the structure on the way."""
    lines = unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-1] == "END:VCALENDAR"
    stack: list[str] = []
    events: list[dict[str, str]] = []
    for line in lines:
        name, _, value = line.partition(":")
        assert re.fullmatch(r"[A-Z-]+(;[A-Z-]+=[^:;]+)*", name), line
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                events.append({})
        elif name == "END":
            assert stack.pop() == value
        elif stack and stack[-1] == "VEVENT":
            events[-1][name] = value
    assert stack == []
    return events


def event(title: str, room: str = "Zaal 1", **fields: object) -> Event:
    start = datetime.datetime(2026, 3, 2, 6, 0, tzinfo=BRUSSELS)
    values: dict[str, object] = {
        "uid": "leerplek-session-1@voeding-test",
        "title": title,
        "start": start,
        "end": start + datetime.timedelta(hours=2, minutes=30),
        "room": room,
        "part": "early",
        "day": start.date(),
        "hours": Decimal("2.50"),
        "round_title": "Voorjaar",
        "trainer": "Tina Trainer",
        "participant_count": 3,
    }
    values.update(fields)
    return Event(**values)  # type: ignore[arg-type]


def test_text_is_escaped() -> None:
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_long_lines_fold_at_75_octets_without_splitting_a_character() -> None:
    line = "SUMMARY:" + "é" * 100
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join([parts[0], *(p[1:] for p in parts[1:])]) == line
    assert fold("SHORT:x") == "SHORT:x"


def test_a_calendar_parses_back_to_its_events() -> None:
    title = "Veilig werken; heftruck, reachtruck \\ en stapelaar — module 2 " + "x" * 60
    now = datetime.datetime(2026, 2, 1, 12, 0, tzinfo=datetime.UTC)
    text = calendar([event(title, room="Zaal 1, gelijkvloers")], name="Voorjaar", now=now)
    (vevent,) = parse(text)
    assert vevent["UID"] == "leerplek-session-1@voeding-test"
    assert vevent["DTSTAMP"] == "20260201T120000Z"
    # 06:00 in Brussels on 2 March (winter time, UTC+1) is 05:00 UTC.
    assert vevent["DTSTART"] == "20260302T050000Z"
    assert vevent["DTEND"] == "20260302T073000Z"
    assert unescape(vevent["SUMMARY"]) == title
    assert unescape(vevent["LOCATION"]) == "Zaal 1, gelijkvloers"
    assert "Tina Trainer" in unescape(vevent["DESCRIPTION"])
    assert "\n" in unescape(vevent["DESCRIPTION"])
    for required in ("VERSION:2.0", "PRODID:-//Leerplek//Session scheduling//EN"):
        assert required in unfold(text)


def test_summer_time_is_converted_too() -> None:
    start = datetime.datetime(2026, 6, 1, 14, 0, tzinfo=BRUSSELS)
    text = calendar(
        [event("Zomer", start=start, end=start + datetime.timedelta(hours=1))], name="Zomer"
    )
    (vevent,) = parse(text)
    assert vevent["DTSTART"] == "20260601T120000Z"


def test_an_empty_calendar_is_valid() -> None:
    assert parse(calendar([], name="Leeg")) == []
