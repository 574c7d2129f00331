"""`manage.py registration_transfer_followups`: the transfer follow-ups after formal courses
(PLAN-08). Idempotent and safe to run from cron, e.g. every night:

    30 2 * * *  cd /srv/leerplek && .venv/bin/python manage.py registration_transfer_followups

For every completed participation in a confirmed, counted formal activity that ended in the last
PLAN_TRANSFER_LOOKBACK_DAYS days and has no follow-up yet, it makes one, due PLAN_TRANSFER_WEEKS
after the course. A second run makes nothing new; two runs at once make each follow-up once (one
row per participation).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from leerplek.people.models import Organisation
from leerplek.registration import services_plan


class Command(BaseCommand):
    help = "Make the missing follow-ups on applying a formal course at work."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--organisation", default=None, help="The short name (slug) of one organisation."
        )
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="Count from this day (YYYY-MM-DD) instead of today.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = None
        if options["organisation"]:
            organisation = Organisation.objects.filter(slug=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"No organisation with short name {options['organisation']!r}.")
        today = options["today"] or timezone.localdate()
        made = services_plan.transfer_followups_create(today=today, organisation=organisation)
        self.stdout.write(f"{made} new transfer follow-ups")
