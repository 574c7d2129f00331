"""Demo story of session scheduling (PLAN-02) at Voedingsbedrijf X: the packaging department's
three shifts with their patterns, two training rooms, a production peak before a holiday, a
staffing minimum per shift, and a draft round for the coming fortnight with a forklift
refresher for the early and the late shift and first aid for the night shift. The peter has
weekly hours for his newcomer, one operator is on leave. HR presses *Compute schedule*.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import translation

from leerplek.core.access import load_access
from leerplek.core.roles import Role
from leerplek.people.models import Employee, PersonType, User
from leerplek.registration import services_schedule as services

ROUND_TITLE = "Heftruck en EHBO in de verpakking"

# (shift unit key, pattern name, week: Monday first)
PATTERNS = (
    ("verp-vroeg", "Vroege ploeg (ma–vr)", [["early"]] * 5 + [[], []]),  # noqa: RUF001
    ("verp-laat", "Late ploeg (ma–vr)", [["late"]] * 5 + [[], []]),  # noqa: RUF001
    ("verp-nacht", "Nachtploeg (zo–do)", [["night"]] * 4 + [[], [], ["night"]]),  # noqa: RUF001
)


def build(story: Any) -> None:
    if story.is_transport:
        return
    with translation.override(settings.LANGUAGE_CODE):
        _Schedule(story).build()


class _Schedule:
    def __init__(self, story: Any) -> None:
        self.organisation = story.state.organisation
        self.units = story.state.units
        self.today: datetime.date = story.today
        hr_person = story.state.people.get(Role.HR)
        hr = User.objects.filter(employees__pk=hr_person.pk).first() if hr_person else None
        self.hr = hr or story.admin
        self.hr.access = load_access(self.hr, self.organisation.pk)
        self.hr_person = hr_person

    def _crew(self, key: str, first: datetime.date, last: datetime.date) -> list[Employee]:
        """The shift's own staff employed over the whole period."""
        return list(
            Employee.objects.filter(
                organisation=self.organisation,
                unit=self.units[key],
                person_type=PersonType.EMPLOYEE,
                hire_date__lte=first,
            )
            .filter(Q(exit_date__isnull=True) | Q(exit_date__gte=last))
            .order_by("last_name", "first_name", "id")
        )

    def build(self) -> None:
        org, hr = self.organisation, self.hr
        # The coming fortnight, Monday to Sunday twice, starting next week.
        start = self.today + datetime.timedelta(days=7 - self.today.weekday())
        end = start + datetime.timedelta(days=13)
        for key, name, week in PATTERNS:
            services.pattern_create(
                organisation=org, by=hr, name=name, week=week, shift=self.units[key]
            )
        room = services.room_create(
            organisation=org, by=hr, name="Opleidingslokaal", capacity=8, location="Kantoren, 1e"
        )
        services.room_create(
            organisation=org, by=hr, name="Refter", capacity=20, location="Kantine"
        )
        services.peak_create(
            organisation=org,
            by=hr,
            unit=self.units["verp"],
            start=start + datetime.timedelta(days=9),
            end=start + datetime.timedelta(days=11),
            note="Eindejaarsbestellingen: geen opleidingen in de verpakking.",
        )
        crews = {key: self._crew(key, start, end) for key, _name, _week in PATTERNS}
        for key, crew in crews.items():
            # Half of each shift (at least one) stays on the line in every slot it works.
            services.minimum_create(
                organisation=org,
                by=hr,
                unit=self.units["verp"],
                shift=self.units[key],
                minimum=max(1, len(crew) // 2),
            )
        round = services.round_create(
            organisation=org, by=hr, title=ROUND_TITLE, start=start, end=end
        )
        trainer = self.hr_person
        for key, title, hours, room_for in (
            ("verp-vroeg", "Heftruck opfrissing (vroege ploeg)", "4", room),
            ("verp-laat", "Heftruck opfrissing (late ploeg)", "4", room),
            ("verp-nacht", "Eerste hulp (nachtploeg)", "3", None),
        ):
            # A third of the shift goes; the rest stays above the minimum of half the shift,
            # less the peter's weekly hours with his newcomer.
            trainees = crews[key][: len(crews[key]) // 3]
            if not trainees:
                continue
            services.session_create(
                round=round,
                by=hr,
                title=title,
                hours=hours,
                participants=trainees,
                # HR works the day shift: it gives the early shift's course itself; an outside
                # trainer (without a calendar here) comes for the late and the night shift.
                trainer=trainer if key == "verp-vroeg" else None,
                room=room_for,
            )
        # Two of the early shift's trainees: the peter with his weekly hours for his newcomer,
        # and an operator on leave the first three days.
        early = crews["verp-vroeg"][: len(crews["verp-vroeg"]) // 3]
        if len(early) >= 2:
            services.work_profile_set(employee=early[0], by=hr, mentor_hours_per_week="4")
            services.unavailability_create(
                employee=early[1],
                by=hr,
                start=start,
                end=start + datetime.timedelta(days=2),
                reason="Verlof",
            )
