"""Configuring the catalogue: competence groups, level scales, texts per level, as users see it."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from leerplek.competences import catalogue_services, services
from leerplek.competences.models import (
    Competence,
    CompetenceGroup,
    Level,
    LevelScale,
)
from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from tests.competences.factories import DAY, acting, assess, competence, level
from tests.factories import Cast

pytestmark = pytest.mark.django_db


def numeric(cast: Cast, name: str = "1-5") -> LevelScale:
    return catalogue_services.scale_create(
        organisation=cast.organisation, by=cast.user(Role.HR), name=name, preset="numeric"
    )


def group(cast: Cast, name: str = "Hygiene", scale: LevelScale | None = None) -> CompetenceGroup:
    return catalogue_services.group_create(
        organisation=cast.organisation, by=cast.user(Role.HR), name=name, scale=scale
    )


def errors(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error.value.message_dict


# --- Groups --------------------------------------------------------------------------------------


def test_hr_creates_edits_and_deletes_a_group_on_its_pages(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.user(Role.HR))
    response = client.post(
        reverse("competences:group-create"),
        {"name": "Hygiene", "description": "Food safety rules", "scale": ""},
    )
    assert response.status_code == 302
    created = CompetenceGroup.objects.get(organisation=cast.organisation, name="Hygiene")
    assert created.scale is None
    page = client.get(reverse("competences:group-list")).content.decode()
    assert "Hygiene" in page
    assert "ILUO" in page

    scale = numeric(cast)
    response = client.post(
        reverse("competences:group-edit", args=[created.pk]),
        {"name": "Hygiene and safety", "description": "", "scale": scale.pk},
    )
    assert response.status_code == 302
    created.refresh_from_db()
    assert (created.name, created.scale) == ("Hygiene and safety", scale)

    what = competence(cast, "HACCP", group=created)
    page = client.get(reverse("competences:group-delete", args=[created.pk])).content.decode()
    assert "stays in the catalogue, without a group" in page
    response = client.post(reverse("competences:group-delete", args=[created.pk]))
    assert response.status_code == 302
    assert not CompetenceGroup.objects.filter(pk=created.pk).exists()
    what.refresh_from_db()
    assert what.group is None  # the competence stays, without a group
    assert AuditEntry.objects.filter(action="competences.group_deleted").count() == 1


def test_a_group_name_is_unique_in_the_organisation(cast: Cast, client_for: Any) -> None:
    group(cast, "Hygiene")
    response = client_for(cast.user(Role.HR)).post(
        reverse("competences:group-create"), {"name": " hygiene ", "description": ""}
    )
    assert response.status_code == 422
    assert "Another group in this organisation already has this name." in (
        response.content.decode()
    )


def test_a_scale_without_a_level_for_coverage_cannot_be_given_to_a_group(cast: Cast) -> None:
    empty = catalogue_services.scale_create(
        organisation=cast.organisation, by=cast.user(Role.HR), name="Stars"
    )
    with pytest.raises(ValidationError) as error:
        group(cast, scale=empty)
    assert "no level that counts for coverage" in errors(error)["scale"][0]


def test_changing_the_scale_of_a_group_whose_competences_are_assessed_is_refused(
    cast: Cast,
) -> None:
    hygiene = group(cast)
    what = competence(cast, "HACCP", group=hygiene)
    assess(cast, cast.worker, what, "U")
    with pytest.raises(ValidationError) as error:
        catalogue_services.group_update(group=hygiene, by=cast.user(Role.HR), scale=numeric(cast))
    message = errors(error)["scale"][0]
    assert "assessments" in message
    assert "ILUO" in message
    assert "1-5" in message
    hygiene.refresh_from_db()
    assert hygiene.scale is None


def test_deleting_a_group_whose_own_scale_is_in_use_is_refused_with_the_reason(
    cast: Cast, client_for: Any
) -> None:
    scale = numeric(cast)
    hygiene = group(cast, scale=scale)
    what = competence(cast, "HACCP", group=hygiene)
    services.requirement_set(
        competence=what, by=cast.user(Role.HR), level=scale.levels.get(code="4"), job=cast.job
    )
    response = client_for(cast.user(Role.HR)).post(
        reverse("competences:group-delete", args=[hygiene.pk])
    )
    assert response.status_code == 422
    assert "requirements" in response.content.decode()
    assert CompetenceGroup.objects.filter(pk=hygiene.pk).exists()


def test_only_hr_and_the_administrator_change_groups(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.user(Role.MANAGER))
    assert client.get(reverse("competences:group-list")).status_code == 200
    assert client.get(reverse("competences:group-create")).status_code == 403
    assert client.get(reverse("competences:scale-create")).status_code == 403


def test_another_organisations_group_is_not_found(cast: Cast, client_for: Any) -> None:
    theirs = catalogue_services.group_create(
        organisation=cast.other_organisation, by=cast.other_hr, name="Theirs"
    )
    client = client_for(cast.user(Role.HR))
    assert client.get(reverse("competences:group-edit", args=[theirs.pk])).status_code == 404


# --- Scales --------------------------------------------------------------------------------------


def test_a_numeric_scale_gets_levels_one_to_five_with_coverage_from_four(
    cast: Cast, client_for: Any
) -> None:
    client = client_for(cast.user(Role.HR))
    response = client.post(
        reverse("competences:scale-create"), {"name": "Numeric 1-5", "preset": "numeric"}
    )
    assert response.status_code == 302
    scale = LevelScale.objects.get(organisation=cast.organisation, name="Numeric 1-5")
    levels = list(scale.levels.order_by("rank"))
    assert [(lv.code, lv.rank) for lv in levels] == [(str(n), n) for n in range(1, 6)]
    assert [lv.code for lv in levels if lv.counts_for_coverage] == ["4", "5"]
    assert [lv.code for lv in levels if lv.may_train] == ["5"]
    assert all(lv.description for lv in levels)
    page = client.get(reverse("competences:scale-list")).content.decode()
    assert "Numeric 1-5" in page
    assert "ILUO" in page
    assert "quarter circles" in page


def test_an_empty_scale_gets_its_levels_one_by_one_with_unique_code_and_rank(
    cast: Cast, client_for: Any
) -> None:
    client = client_for(cast.user(Role.HR))
    response = client.post(reverse("competences:scale-create"), {"name": "ABC", "preset": "empty"})
    scale = LevelScale.objects.get(organisation=cast.organisation, name="ABC")
    assert response["Location"] == reverse("competences:level-add", args=[scale.pk])
    url = reverse("competences:level-add", args=[scale.pk])
    level_a = {"code": "A", "rank": 1, "name": "Starter", "description": ""}
    assert client.post(url, level_a).status_code == 302
    response = client.post(url, {**level_a, "rank": 2})
    assert response.status_code == 422
    assert "Another level of this scale already has the code A." in response.content.decode()
    response = client.post(url, {**level_a, "code": "B"})
    assert "Another level of this scale already has rank 1." in response.content.decode()
    response = client.post(
        url, {"code": "B", "rank": 2, "name": "Pro", "counts_for_coverage": "on"}
    )
    assert response.status_code == 302
    assert list(scale.levels.values_list("code", "counts_for_coverage")) == [
        ("A", False),
        ("B", True),
    ]


def test_the_texts_of_a_level_of_any_scale_can_change(cast: Cast, client_for: Any) -> None:
    u = level(cast.organisation, "U")
    response = client_for(cast.user(Role.HR)).post(
        reverse("competences:level-edit", args=[u.scale_id, u.pk]),
        {"name": "Zelfstandig", "description": "Works alone, to standard."},
    )
    assert response.status_code == 302
    u.refresh_from_db()
    assert (u.code, u.name, u.counts_for_coverage) == ("U", "Zelfstandig", True)


@pytest.mark.parametrize("why", ["default", "group", "assessed"])
def test_a_scale_in_use_is_not_deleted_and_the_page_says_why(
    cast: Cast, client_for: Any, why: str
) -> None:
    if why == "default":
        scale = services.default_scale(cast.organisation)
        expected = "default scale"
    else:
        scale = numeric(cast)
        hygiene = group(cast, "Hygiene", scale=scale)
        expected = "Hygiene"
        if why == "assessed":
            what = competence(cast, "HACCP", group=hygiene)
            services.assessment_record(
                employee=cast.worker,
                competence=what,
                level=scale.levels.get(code="4"),
                assessed_on=DAY,
                by=acting(cast.user(Role.HR), cast.organisation),
                assessor=cast.employees[Role.HR],
                method="observation",
            )
            # Move the group away from the scale: only the assessment keeps it in use.
            CompetenceGroup.objects.filter(pk=hygiene.pk).update(scale=None)
            expected = "assessments"
    client = client_for(cast.user(Role.HR))
    url = reverse("competences:scale-delete", args=[scale.pk])
    assert expected in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 422
    assert expected in response.content.decode()
    assert LevelScale.objects.filter(pk=scale.pk).exists()


def test_an_unused_scale_is_deleted_with_its_levels(cast: Cast, client_for: Any) -> None:
    scale = numeric(cast)
    response = client_for(cast.user(Role.HR)).post(
        reverse("competences:scale-delete", args=[scale.pk])
    )
    assert response.status_code == 302
    assert not Level.objects.filter(scale_id=scale.pk).exists()


# --- Competences in a group, with a text per level ----------------------------------------------


def test_a_competence_in_a_numeric_group_takes_numeric_levels_only(cast: Cast) -> None:
    scale = numeric(cast)
    what = competence(cast, "MIX", group=group(cast, "Mixing", scale=scale))
    assert services.scale_for(what) == scale
    by = acting(cast.user(Role.HR), cast.organisation)
    values = {
        "employee": cast.worker,
        "competence": what,
        "assessed_on": DAY,
        "by": by,
        "assessor": cast.employees[Role.HR],
        "method": "observation",
    }
    assessment = services.assessment_record(level=scale.levels.get(code="4"), **values)
    assert assessment.level.code == "4"
    with pytest.raises(ValidationError) as error:
        services.assessment_record(level=level(cast.organisation, "U"), **values)
    assert errors(error)["level"] == ["Choose a level of the scale 1-5."]


def test_level_texts_are_checked_against_the_scale_of_the_competence(cast: Cast) -> None:
    scale = numeric(cast)
    mixing = group(cast, "Mixing", scale=scale)
    with pytest.raises(ValidationError) as error:
        competence(cast, "MIX", group=mixing, level_texts={"U": "Mixes alone"})
    assert "The scale 1-5 has no level U" in errors(error)["level_texts"][0]
    with pytest.raises(ValidationError) as error:
        competence(cast, "MIX", group=mixing, level_texts={"4": "x" * 501})
    assert "501 characters" in errors(error)["level_text_4"][0]
    what = competence(
        cast, "MIX", group=mixing, level_texts={"5": "Teaches", "4": " Alone ", "1": ""}
    )
    assert what.level_texts == {"4": "Alone", "5": "Teaches"}


def test_a_group_of_another_organisation_is_refused(cast: Cast) -> None:
    theirs = catalogue_services.group_create(
        organisation=cast.other_organisation, by=cast.other_hr, name="Theirs"
    )
    with pytest.raises(ValidationError) as error:
        competence(cast, "MIX", group=theirs)
    assert "group" in errors(error)


def test_moving_an_assessed_competence_to_a_group_with_another_scale_is_refused(
    cast: Cast,
) -> None:
    what = competence(cast, "MIX")
    assess(cast, cast.worker, what, "U", on=datetime.date(2025, 1, 6))
    numeric_group = group(cast, "Mixing", scale=numeric(cast))
    with pytest.raises(ValidationError) as error:
        services.competence_update(competence=what, by=cast.user(Role.HR), group=numeric_group)
    assert "would be measured on 1-5" in errors(error)["group"][0]
    # A group on the same (default) scale is fine.
    services.competence_update(competence=what, by=cast.user(Role.HR), group=group(cast, "Other"))


def test_the_competence_form_shows_a_text_field_per_level_of_the_groups_scale(
    cast: Cast, client_for: Any
) -> None:
    scale = numeric(cast)
    mixing = group(cast, "Mixing", scale=scale)
    client = client_for(cast.user(Role.HR))
    url = reverse("competences:competence-create")
    page = client.get(url).content.decode()
    assert 'name="level_text_U"' in page
    assert "scale ILUO" in page
    page = client.get(f"{url}?group={mixing.pk}").content.decode()
    assert 'name="level_text_4"' in page
    assert 'name="level_text_U"' not in page
    response = client.post(
        url,
        {
            "code": "MIX",
            "name": "Mixing",
            "group": mixing.pk,
            "kind": "technical",
            "is_active": "on",
            "texts_scale": scale.pk,
            "level_text_4": "Mixes a batch alone",
        },
    )
    assert response.status_code == 302, response.content.decode()
    what = Competence.objects.get(code="MIX")
    assert (what.group, what.level_texts) == (mixing, {"4": "Mixes a batch alone"})
    page = client.get(reverse("competences:competence-detail", args=[what.pk])).content.decode()
    assert "Mixing" in page
    assert "Mixes a batch alone" in page
    assert "1-5" in page


def test_texts_typed_for_another_scale_are_not_lost_silently(cast: Cast, client_for: Any) -> None:
    """Without JavaScript the level fields do not follow a changed group: the page asks to check
    them on the new scale instead of dropping what was typed."""
    mixing = group(cast, "Mixing", scale=numeric(cast))
    response = client_for(cast.user(Role.HR)).post(
        reverse("competences:competence-create"),
        {
            "code": "MIX",
            "name": "Mixing",
            "group": mixing.pk,
            "kind": "technical",
            "texts_scale": services.default_scale(cast.organisation).pk,
            "level_text_U": "Alone",
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "measures on the scale 1-5" in page
    assert 'name="level_text_4"' in page
    assert not Competence.objects.filter(code="MIX").exists()


def test_a_too_long_level_text_is_shown_next_to_its_field(cast: Cast, client_for: Any) -> None:
    response = client_for(cast.user(Role.HR)).post(
        reverse("competences:competence-create"),
        {"code": "MIX", "name": "Mixing", "kind": "technical", "level_text_U": "x" * 501},
    )
    assert response.status_code == 422
    assert 'id="id_level_text_U_error"' in response.content.decode()


def test_the_catalogue_filters_by_group_in_a_fixed_number_of_queries(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    hygiene, mixing = group(cast, "Hygiene"), group(cast, "Mixing")
    competence(cast, "HACCP", group=hygiene)
    competence(cast, "MIX", group=mixing)
    competence(cast, "LOOSE")
    client = client_for(cast.user(Role.HR))
    url = reverse("competences:competence-list")
    page = client.get(f"{url}?group={hygiene.pk}").content.decode()
    assert "HACCP" in page
    assert "LOOSE" not in page
    assert ">MIX<" not in page
    page = client.get(f"{url}?group=none").content.decode()
    assert "LOOSE" in page
    assert "HACCP" not in page
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for i in range(15):
        competence(cast, f"X{i:02d}", group=[hygiene, mixing, None][i % 3])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("name", ["competences:group-list", "competences:scale-list"])
def test_the_group_and_scale_pages_keep_a_fixed_query_count(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any, name: str
) -> None:
    client = client_for(cast.user(Role.HR))
    numeric(cast)
    group(cast, "G0")
    client.get(reverse(name))  # the default scale exists from here on
    with django_assert_max_num_queries(20) as few:
        client.get(reverse(name))
    for i in range(1, 8):
        scale = numeric(cast, f"S{i}")
        group(cast, f"G{i}", scale=scale)
        competence(cast, f"C{i}", group=CompetenceGroup.objects.get(name=f"G{i}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse(name)).status_code == 200


def test_choosing_no_group_on_the_edit_form_shows_the_default_scales_levels(
    cast: Cast, client_for: Any
) -> None:
    """What the htmx request of the group field asks when "No group" is chosen."""
    what = competence(cast, "MIX", group=group(cast, "Mixing", scale=numeric(cast)))
    client = client_for(cast.user(Role.HR))
    url = reverse("competences:competence-edit", args=[what.pk])
    assert 'name="level_text_4"' in client.get(url).content.decode()
    page = client.get(f"{url}?group=").content.decode()
    assert 'name="level_text_U"' in page
    assert 'name="level_text_4"' not in page
