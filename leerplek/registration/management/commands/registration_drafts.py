"""`manage.py registration_drafts`: draft informal registrations from workplace learning (REG-08).
Idempotent and safe to run from cron, e.g. every night:

    15 2 * * *  cd /srv/leerplek && .venv/bin/python manage.py registration_drafts

For every organisation (or the one named with `--organisation`) it turns confirmed module
sign-offs, completed programmes, ended peter/meter and coaching periods, passed tests and
certificates that have no registration yet into drafts for HR to confirm. A second run creates
nothing new; two runs at once queue behind a lock on the organisation.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from leerplek.people.models import Organisation
from leerplek.registration import services_drafts


class Command(BaseCommand):
    help = "Draft informal registrations from workplace learning that has none yet."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--organisation", default=None, help="The short name (slug) of one organisation."
        )
        parser.add_argument(
            "--since",
            type=datetime.date.fromisoformat,
            default=None,
            help="Only learning dated from this day on (YYYY-MM-DD); default everything.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisations = Organisation.objects.order_by("pk")
        if options["organisation"]:
            organisations = organisations.filter(slug=options["organisation"])
            if not organisations.exists():
                raise CommandError(f"No organisation with short name {options['organisation']!r}.")
        for organisation in organisations:
            counts = services_drafts.drafts_generate(
                organisation=organisation, since=options["since"]
            )
            made = ", ".join(f"{source}: {count}" for source, count in counts.items())
            self.stdout.write(f"{organisation.slug}: {sum(counts.values())} new drafts ({made})")
