"""URL arguments for the training 'certificates' pages (the URL walk)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from leerplek.core.roles import Role
from leerplek.training import services_certificates
from leerplek.training.models import Attempt
from tests.factories import Cast
from tests.training.factories_tests import acting, practical, programme_module


def arguments(cast: Cast) -> dict[str, Any]:
    """A value for each URL argument the 'certificates' pages add, inside the line manager's scope.

    An internal attest of the packaging worker (its PDF is made on request), issued for a
    passed practical test. Keep the walk data out of the cast's mentor's guidance: the walk
    expects his roles alone.
    """
    assert cast.worker is not None
    _version, module = programme_module(cast, code="WALK-CT")
    test = practical(cast, module, publish=False, title="Walk attesttest")
    attempt = Attempt.objects.create(
        organisation=cast.organisation,
        test=test,
        employee=cast.worker,
        number=1,
        submitted_at=timezone.now(),
        points=3,
        max_points=3,
        passed=True,
    )
    certificate = services_certificates.attest_issue(attempt=attempt, by=acting(cast, Role.HR))
    return {"certificate_id": certificate.pk, "code": certificate.code}
