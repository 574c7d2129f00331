"""The registration records refuse what the database must never hold."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from leerplek.registration.models import CostKind, CostLine
from tests.factories import Cast
from tests.registration.factories import activity, person

pytestmark = pytest.mark.django_db


def test_a_cost_line_in_another_currency_or_negative_is_refused(cast: Cast) -> None:
    item = activity(cast, participants=[(person(cast, "Ann"), 8)])
    for fields in ({"currency": "USD", "amount": Decimal("10")}, {"amount": Decimal("-1")}):
        with pytest.raises(IntegrityError), transaction.atomic():
            CostLine.objects.create(activity=item, kind=CostKind.EXTERNAL, **fields)
    assert not CostLine.objects.exists()
