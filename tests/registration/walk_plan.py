"""URL arguments for the registration 'plan' pages (the URL walk)."""

from __future__ import annotations

import datetime
from typing import Any

from leerplek.registration import services_plan
from leerplek.registration.models import TransferFollowUp
from tests.factories import Cast
from tests.registration.factories import activity
from tests.registration.factories_plan import acting, plan_with_lines


def arguments(cast: Cast) -> dict[str, Any]:
    """A plan of 2031 with two lines in draft, a submitted need, and a follow-up after a course
    of the packaging worker (inside the line manager's scope)."""
    from leerplek.core.roles import Role

    plan, forklift, _kettle = plan_with_lines(cast, year=2031)
    need = services_plan.need_submit(
        organisation=cast.organisation,
        by=acting(cast, Role.HR),
        year=2031,
        description="Excel",
        target_group="Planning",
    )
    assert cast.worker is not None
    activity(cast, "Walk-cursus", on=datetime.date(2031, 3, 3), participants=[(cast.worker, 7)])
    services_plan.transfer_followups_create(
        today=datetime.date(2031, 4, 1), organisation=cast.organisation
    )
    followup = TransferFollowUp.objects.get(participation__activity__title="Walk-cursus")
    return {
        "plan_id": plan.pk,
        "line_id": forklift.pk,
        "export_kind": "filing-pdf",
        "need_kind": "submitted",
        "registration:need_id": need.pk,
        "followup_id": followup.pk,
    }
