"""iCalendar (RFC 5545) files of scheduled sessions, written by hand: CRLF line endings, lines
folded at 75 octets (never inside a UTF-8 character), TEXT values escaped (backslash, semicolon,
comma, newline), times in UTC (so no VTIMEZONE is needed), a stable UID per session and a
DTSTAMP."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from leerplek.registration import scheduler
from leerplek.registration.selectors_schedule import Event

LIMIT = 75  # octets per line, CRLF excluded


def escape_text(value: str) -> str:
    """A TEXT property value (RFC 5545 §3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets, continuation lines starting with a
    space (RFC 5545 §3.1)."""
    out: list[str] = []
    current = ""
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > LIMIT:
            out.append(current)
            current = " "
            size = 1
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(events: Iterable[Event], *, name: str, now: datetime.datetime | None = None) -> str:
    """The VCALENDAR text of `events`."""
    stamp = _utc(now or timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Leerplek//Session scheduling//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        part = str(scheduler.PART_LABELS.get(event.part, event.part)).lower()
        description = _("%(round)s, %(part)s shift part, %(hours)s hours.") % {
            "round": event.round_title,
            "part": part,
            "hours": f"{event.hours:g}" if hasattr(event.hours, "is_finite") else event.hours,
        }
        if event.trainer:
            description += "\n" + _("Trainer: %(name)s") % {"name": event.trainer}
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(event.start)}",
            f"DTEND:{_utc(event.end)}",
            f"SUMMARY:{escape_text(event.title)}",
            f"LOCATION:{escape_text(event.room)}",
            f"DESCRIPTION:{escape_text(description)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
