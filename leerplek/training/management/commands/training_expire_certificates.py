"""`manage.py training_expire_certificates`: the daily follow-up of the certificate register.
Safe to run from cron, e.g. every morning:

    30 6 * * *  cd /srv/leerplek && .venv/bin/python manage.py training_expire_certificates

It warns the holders of certificates that expire within CERTIFICATE_WARNING_DAYS (once per
certificate), marks each expired certificate once, and assigns the recertification programme of
the attest's test once. Running it twice on one day changes nothing the second time.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from leerplek.training import services_certificates


class Command(BaseCommand):
    help = "Warn before certificates expire, mark expired ones, assign recertification."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            default=None,
            help="Act as if today were this day (YYYY-MM-DD); default today.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        done = services_certificates.certificates_follow_up(today=options["date"])
        self.stdout.write(
            f"warned: {len(done.warned)}, expired: {len(done.expired)}, "
            f"recertifications assigned: {len(done.recertifications)}"
        )
