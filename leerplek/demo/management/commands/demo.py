"""`manage.py demo`: load the demo organisations and print the log-ins (`make run` shows them).

Every demo account has the password `leerplek-demo`. `--reset` rebuilds the demo organisations.
`--scale` builds the benchmark organisation Schaal NV instead; its size options (`--people` and so
on) exist so tests can build a small one.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from leerplek.demo import builder
from leerplek.demo.data import SCALE_NAME, SCALE_SLUG
from leerplek.people.models import Organisation


class Command(BaseCommand):
    help = "Load the demo organisations (or, with --scale, the benchmark data) and print log-ins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="Delete and rebuild the demo organisations."
        )
        parser.add_argument(
            "--scale", action="store_true", help=f"Build the benchmark organisation {SCALE_NAME}."
        )
        parser.add_argument("--people", type=int, default=10_000, help="With --scale.")
        parser.add_argument("--units", type=int, default=200, help="With --scale.")
        parser.add_argument("--functions", type=int, default=400, help="With --scale.")
        parser.add_argument("--workstations", type=int, default=1_000, help="With --scale.")
        parser.add_argument("--competences", type=int, default=1_500, help="With --scale.")
        parser.add_argument(
            "--assessments",
            type=int,
            default=None,
            help=f"With --scale; default {builder.ASSESSMENTS_PER_PERSON} per person.",
        )
        parser.add_argument(
            "--onboardings", type=int, default=2_000, help="With --scale: over the last 2 years."
        )
        # On-the-job training (#6): by default in proportion to the people and workstations
        # (10,000 people: 2,000 instructions, 50,000 assignments, 100,000 certificates).
        parser.add_argument(
            "--instructions", type=int, default=None, help="With --scale; default 2 a workstation."
        )
        parser.add_argument(
            "--programme-assignments",
            type=int,
            default=None,
            help="With --scale; default 5 a person.",
        )
        parser.add_argument(
            "--certificates", type=int, default=None, help="With --scale; default 10 a person."
        )
        # Learning registrations (#7): 10 activities a person over ten years, about ten
        # participants each (10,000 people: 1,000,000 registrations).
        parser.add_argument(
            "--learning-activities",
            type=int,
            default=None,
            help="With --scale; default 10 a person.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["scale"]:
            self._scale(options)
            return
        result = builder.demo_build(reset=options["reset"])
        if result.built:
            self.stdout.write(f"Built the demo organisations in {result.seconds:.1f} s.")
        self._print_logins()

    def _scale(self, options: dict[str, Any]) -> None:
        result = builder.scale_build(
            people=options["people"],
            units=options["units"],
            functions=options["functions"],
            workstations=options["workstations"],
            competences=options["competences"],
            assessments=options["assessments"],
            onboardings=options["onboardings"],
            instructions=options["instructions"],
            programme_assignments=options["programme_assignments"],
            certificates=options["certificates"],
            learning_activities=options["learning_activities"],
            reset=options["reset"],
        )
        sizes = ", ".join(f"{count} {name}" for name, count in result.counts.items())
        if result.built:
            self.stdout.write(f"Built {SCALE_NAME} ({sizes}) in {result.seconds:.1f} s.")
        else:
            self.stdout.write(f"{SCALE_NAME} exists ({sizes}); use --reset to rebuild it.")
            org = Organisation.objects.get(slug=SCALE_SLUG)
            if builder.scale_version(org) < builder.SCALE_VERSION:
                self.stdout.write(
                    f"It was built by an older version of the builder; --reset to bring it up "
                    f"to version {builder.SCALE_VERSION}."
                )
        self.stdout.write(
            f"Log in as {builder.SCALE_HR_EMAIL} with password {builder.DEMO_PASSWORD!r}."
        )

    def _print_logins(self) -> None:
        rows = [
            (login.role.value, login.email, builder.DEMO_PASSWORD, ", ".join(login.organisations))
            for login in builder.demo_logins()
        ]
        header = ("Role", "Email", "Password", "Organisations")
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        line = "  ".join(f"{{:<{width}}}" for width in widths)
        self.stdout.write("")
        self.stdout.write(f"Leerplek demo: open {builder.DEMO_URL} and log in as")
        self.stdout.write("")
        self.stdout.write(line.format(*header).rstrip())
        self.stdout.write(line.format(*("-" * width for width in widths)).rstrip())
        for row in rows:
            self.stdout.write(line.format(*row).rstrip())
        self.stdout.write("")
