"""The second ideal number of a requirement: people who can teach it (O), the TWI training
timetable. The service, the matrix's trainer count and footer, the export and the API."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from leerplek.competences import services
from leerplek.competences.models import Requirement
from leerplek.competences.selectors import matrix_for_unit
from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from tests.competences.factories import acting, assess, competence, level
from tests.factories import Cast, EmployeeFactory

pytestmark = pytest.mark.django_db


def people(cast: Cast, *names: str) -> list[Any]:
    return [
        EmployeeFactory(
            organisation=cast.organisation, unit=cast.packaging, job=cast.job, last_name=name
        )
        for name in names
    ]


def require(cast: Cast, what: Any, ideal: int = 3, trainers: int = 2) -> Requirement:
    return services.requirement_set(
        competence=what,
        by=cast.user(Role.HR),
        level=level(cast.organisation, "U"),
        job=cast.job,
        ideal_count=ideal,
        ideal_trainers=trainers,
    )


def test_the_requirement_keeps_and_audits_the_ideal_number_of_trainers(cast: Cast) -> None:
    what = competence(cast, "FILL")
    require(cast, what, ideal=3, trainers=1)
    require(cast, what, ideal=3, trainers=2)

    assert Requirement.objects.get().ideal_trainers == 2
    entries = AuditEntry.objects.filter(action="competences.requirement_set").order_by("pk")
    assert entries.last().after["ideal_trainers"] == 2  # type: ignore[union-attr]
    assert entries.last().before == {"ideal_trainers": 1}  # type: ignore[union-attr]


def test_more_trainers_than_the_ideal_coverage_is_refused_on_the_field(cast: Cast) -> None:
    what = competence(cast, "FILL")

    with pytest.raises(ValidationError) as refused:
        require(cast, what, ideal=1, trainers=2)

    errors = refused.value.message_dict
    assert list(errors) == ["ideal_trainers"]
    assert "(2)" in errors["ideal_trainers"][0]
    assert "(1)" in errors["ideal_trainers"][0]
    assert not Requirement.objects.exists()


def test_the_form_shows_the_refusal_next_to_the_field(cast: Cast, client_for: Any) -> None:
    what = competence(cast, "FILL")
    client = client_for(cast.user(Role.HR))
    url = reverse("competences:requirement-add", kwargs={"competence_id": what.pk})
    response = client.post(
        url,
        {
            "job": cast.job.pk,
            "level": level(cast.organisation, "U").pk,
            "mandatory": "on",
            "ideal_count": 1,
            "ideal_trainers": 2,
        },
    )
    assert response.status_code == 422
    assert "cannot be more than the ideal number of people at U or higher" in (
        response.content.decode()
    )
    assert not Requirement.objects.exists()

    client.post(
        url,
        {
            "job": cast.job.pk,
            "level": level(cast.organisation, "U").pk,
            "ideal_count": 3,
            "ideal_trainers": 1,
        },
    )
    assert Requirement.objects.get().ideal_trainers == 1
    detail = client.get(reverse("competences:competence-detail", kwargs={"competence_id": what.pk}))
    assert "Ideal number who can teach it (O)" in detail.content.decode()


def test_the_matrix_counts_valid_trainers_only(cast: Cast, client_for: Any) -> None:
    ann, bob, cas, dirk = people(cast, "Aerts", "Bos", "Claes", "Dewit")
    fill = competence(cast, "FILL")
    require(cast, fill, ideal=3, trainers=2)
    today = timezone.localdate()
    assess(cast, ann, fill, "O")  # counts
    assess(cast, bob, fill, "U")  # covers, does not teach
    assess(cast, cas, fill, "O", valid_until=today - datetime.timedelta(days=1))  # expired
    assess(cast, dirk, fill, "L")

    access = acting(cast.user(Role.HR), cast.organisation).access
    column = matrix_for_unit(unit=cast.packaging, access=access).columns[0]

    assert (column.coverage, column.ideal, column.trainers, column.ideal_trainers) == (2, 3, 1, 2)
    assert column.short_of_trainers
    body = (
        client_for(cast.user(Role.HR))
        .get(reverse("competences:matrix") + f"?unit={cast.packaging.pk}")
        .content.decode()
    )
    foot = body[body.index("<tfoot>") : body.index("</tfoot>")] if "<tfoot>" in body else body
    assert '<span class="trainers short" title="1 who can teach it (O), ideal 2">O 1/2</span>' in (
        foot
    )


def test_the_footer_has_no_trainer_line_without_an_ideal_number(
    cast: Cast, client_for: Any
) -> None:
    (ann,) = people(cast, "Aerts")
    fill = competence(cast, "FILL")
    require(cast, fill, ideal=1, trainers=0)
    assess(cast, ann, fill, "O")

    body = (
        client_for(cast.user(Role.HR))
        .get(reverse("competences:matrix") + f"?unit={cast.packaging.pk}")
        .content.decode()
    )

    assert 'class="trainers' not in body
    assert ">1/1</td>" in body


def test_the_export_shows_the_trainer_figure(cast: Cast, client_for: Any) -> None:
    (ann,) = people(cast, "Aerts")
    fill = competence(cast, "FILL")
    require(cast, fill, ideal=2, trainers=1)
    assess(cast, ann, fill, "O")

    response = client_for(cast.user(Role.HR)).get(
        reverse("competences:matrix-export") + f"?unit={cast.packaging.pk}"
    )

    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = [row[1] for row in sheet.iter_rows(values_only=True)]
    assert "1/2 O 1/1" in values
