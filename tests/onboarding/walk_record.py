"""URL arguments for the 'record' pages in the URL walk (tests/core/test_url_permissions.py)."""

from __future__ import annotations

from typing import Any

from leerplek.core.roles import Role
from leerplek.onboarding import services_record
from leerplek.onboarding.models import Onboarding
from tests.factories import Cast, EmployeeFactory
from tests.onboarding.factories import colleague, designate, start
from tests.onboarding.factories_record import acting, instruction


def arguments(cast: Cast, onboarding: Onboarding) -> dict[str, Any]:
    """A value for each URL argument the 'record' pages add, inside the line manager's scope.

    The signed document belongs to a second packaging newcomer with his own peter (a colleague
    without a log-in), so no role guides him and the other areas' walk data stays untouched.
    """
    rule = instruction(cast, "Emergency exits (walk)")
    newcomer = EmployeeFactory(organisation=cast.organisation, unit=cast.packaging, job=cast.job)
    plan = start(cast, employee=newcomer)
    designate(cast, plan, colleague(cast))
    given = services_record.instructions_give(
        onboarding=plan,
        instructions=[rule],
        given_on=plan.start_date,
        given_by=cast.employees[Role.MANAGER],
        by=acting(cast, Role.HR),
    )[0]
    document = services_record.document_sign(onboarding=plan, by=acting(cast, Role.HR))
    return {
        "safety_instruction_id": rule.pk,
        "given_instruction_id": given.pk,
        "onthaal_document_id": document.pk,
    }
