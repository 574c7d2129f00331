"""A learner's programme in a real browser: the learner ticks the checklist of his next module on
his phone and declares it done; his peter confirms it and sees both signatures; HR's list."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from leerplek.core.roles import Role
from leerplek.training import services_learning
from leerplek.training.models import Signoff
from tests.browser.conftest import no_horizontal_scroll, screenshot, serious_axe_violations
from tests.factories import Cast
from tests.training.factories import approved_programme
from tests.training.factories_leittext import acting, learner, user_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assignment_of(cast: Cast) -> Any:
    version = approved_programme(
        cast,
        modules=(
            ("Basiskennis procestechnieken", "elearning"),
            ("Saus afvullen", "practical"),
            ("Ketel reinigen", "safety"),
        ),
    )
    assignment = services_learning.assignment_create(
        version=version,
        employee=learner(cast),
        by=acting(cast, Role.HR),
        guide=cast.employees[Role.MENTOR],
        started_on=timezone.localdate() - datetime.timedelta(days=10),
    )
    first = version.modules.get(kind="elearning")
    services_learning.signoff_confirm(
        signoff=services_learning.signoff_declare(
            assignment=assignment, module=first, by=user_of(learner(cast), cast)
        ),
        by=acting(cast, Role.MENTOR),
    )
    return assignment


def test_the_learner_declares_his_next_module_on_his_phone(
    cast: Cast, page_for: Any, live_server: Any
) -> None:
    assignment = assignment_of(cast)
    phone = page_for(cast.user(Role.EMPLOYEE), phone=True)
    phone.goto(live_server.url + reverse("training:my-programme", args=[assignment.pk]))
    assert no_horizontal_scroll(phone)
    assert serious_axe_violations(phone) == []
    screenshot(phone, "training-my-programme-phone")
    form = phone.locator("details.declare[open] form")
    for box in form.locator("input[type=checkbox]").all():
        box.check()
    form.locator("button[type=submit]").click()
    phone.wait_for_load_state()
    assert Signoff.objects.filter(confirmed_at__isnull=True).count() == 1
    screenshot(phone, "training-my-programme-declared-phone")
    assert phone.errors == []


def test_the_peter_confirms_and_hr_sees_the_list(
    cast: Cast, page_for: Any, live_server: Any
) -> None:
    assignment = assignment_of(cast)
    module = assignment.version.modules.get(kind="practical")
    services_learning.signoff_declare(
        assignment=assignment,
        module=module,
        by=user_of(learner(cast), cast),
        checklist=module.checklist.values_list("pk", flat=True),
    )
    peter = page_for(cast.user(Role.MENTOR), phone=True)
    peter.goto(live_server.url + reverse("training:mine"))
    assert no_horizontal_scroll(peter)
    screenshot(peter, "training-mine-guide-phone")
    peter.goto(live_server.url + reverse("training:assignment-detail", args=[assignment.pk]))
    assert serious_axe_violations(peter) == []
    screenshot(peter, "training-assignment-detail-guide-phone")
    hr = page_for(cast.user(Role.HR))
    hr.goto(live_server.url + reverse("training:assignment-list"))
    assert serious_axe_violations(hr) == []
    screenshot(hr, "training-assignment-list-desktop")
    assert peter.errors == []
    assert hr.errors == []
