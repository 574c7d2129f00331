"""`manage.py send_review_reminders`: mail peter/meter, line manager and newcomer about progress
reviews that are due soon or overdue. Safe to run from cron, e.g. every morning:

    15 7 * * *  cd /srv/leerplek && .venv/bin/python manage.py send_review_reminders --base-url https://leerplek.example.be

Running it twice sends nothing new (each review remembers when it was reminded). An overdue review
gets one more mail when it becomes overdue. Active onboardings without reviews (started before
reviews existed) get their schedule first.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from leerplek.onboarding import services_reviews


class Command(BaseCommand):
    help = "Mail the participants of progress reviews that are due soon or overdue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show who would get a mail; send and change nothing.",
        )
        parser.add_argument(
            "--base-url",
            default="",
            help="Leerplek's address, e.g. https://leerplek.example.be, for links in the mails.",
        )
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            default=None,
            help="Act as if today were this day (YYYY-MM-DD); default today.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        today = options["date"] or timezone.localdate()
        if not dry_run:
            scheduled = services_reviews.reviews_schedule_missing(by=None)
            if scheduled:
                self.stdout.write(f"Planned the reviews of {scheduled} onboarding(s).")
        run = services_reviews.review_reminders_send(
            today=today, dry_run=dry_run, base_url=options["base_url"]
        )
        for recipient in run.recipients:
            reviews = ", ".join(
                f"{item.review.onboarding.employee} #{item.review.number}"
                + (" (overdue)" if item.overdue else "")
                for item in recipient.items
            )
            if dry_run or options["verbosity"] > 1:
                self.stdout.write(f"{recipient.email} [{recipient.language}]: {reviews}")
        for name in sorted(set(run.without_address)):
            self.stdout.write(f"No e-mail address: {name}")
        if dry_run:
            self.stdout.write(
                f"Dry run: {len(run.reviews)} review(s), {len(run.recipients)} mail(s) would go "
                "out; nothing was sent or changed."
            )
            return
        self.stdout.write(
            f"{len(run.reviews)} review(s) reminded on {today.isoformat()}: "
            f"{run.sent} mail(s) sent."
        )
        if run.failed:
            for problem in run.failed:
                self.stderr.write(f"Not sent: {problem}")
            raise CommandError(f"{len(run.failed)} mail(s) could not be sent.")
