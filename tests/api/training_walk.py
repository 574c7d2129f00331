"""Path values of the training API for the OpenAPI walk (tests/api/test_openapi.py)."""

from __future__ import annotations

from typing import Any

from leerplek.training.models import Certificate, CertificateKind
from tests.factories import Cast
from tests.training.factories import approved_instruction
from tests.training.factories_learning import declared, following, practical
from tests.training.factories_tests import questionnaire


def arguments(cast: Cast) -> dict[str, Any]:
    """The packaging worker's programme with a declared module, a questionnaire on it, an
    instruction and a certificate, all in HR's scope."""
    assert cast.worker is not None
    assignment = following(cast, code="API-P")
    module = practical(assignment)
    signoff = declared(assignment, module)
    test = questionnaire(cast, module, title="API-toets")
    certificate = Certificate.objects.create(
        organisation=cast.organisation,
        employee=cast.worker,
        kind=CertificateKind.CERTIFICATE,
        title="VCA",
        issued_on=assignment.started_on,
    )
    return {
        "programme_id": assignment.version.programme_id,
        "instruction_id": approved_instruction(cast, code="API-WI").pk,
        "assignment_id": assignment.pk,
        "module_id": module.pk,
        "signoff_id": signoff.pk,
        "test_id": test.pk,
        "code": certificate.code,
    }
