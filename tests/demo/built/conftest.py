"""The demo organisations, built once for every module of this package.

A build takes seconds (every write goes through the services), so the modules that only read
the demo share one build: it runs inside a transaction that is rolled back when the package's
last test on this worker is done, and each test runs in a savepoint of its own. Tests that
build or reset the demo themselves live one folder up, outside this package.
"""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from leerplek.people.models import Organisation


@pytest.fixture(scope="package")
def demo(django_db_setup: None, django_db_blocker: object) -> Iterator[Organisation]:
    """The built demo; its value is the food company (Voedingsbedrijf X)."""
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        call_command("demo", stdout=StringIO())
        yield Organisation.objects.get(name="Voedingsbedrijf X")
        transaction.set_rollback(True)
