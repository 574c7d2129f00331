"""Roles and access (ORG-06): granting and revoking roles, log-ins for people, new organisations."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from leerplek.core.access_services import (
    ERRORS,
    account_create_for_employee,
    organisation_create,
    role_grant,
    role_revoke,
)
from leerplek.core.models import AuditEntry, RoleGrant
from leerplek.core.roles import Role
from leerplek.people.models import Employee, Organisation, User
from tests.factories import Cast, EmployeeFactory, UserFactory, make_unit

pytestmark = pytest.mark.django_db


def message(code: str, **params: Any) -> str:
    return str(ERRORS[code]) % params if params else str(ERRORS[code])


def admin_grant(cast: Cast) -> RoleGrant:
    return RoleGrant.objects.get(organisation=cast.organisation, role=Role.ADMIN)


def grant_of(cast: Cast, role: Role) -> RoleGrant:
    """The grant of the cast member who holds `role`."""
    return RoleGrant.objects.get(organisation=cast.organisation, user=cast.user(role), role=role)


# --- role_grant ----------------------------------------------------------------------------------


def test_grant_on_a_unit_is_written_and_audited(cast: Cast) -> None:
    user = UserFactory()

    grant = role_grant(
        organisation=cast.organisation,
        user=user,
        role=Role.COACH,
        unit=cast.packaging,
        by=cast.user(Role.ADMIN),
    )

    assert (grant.user, grant.role, grant.unit) == (user, Role.COACH, cast.packaging)
    entry = AuditEntry.objects.get(action="core.role_granted")
    assert entry.actor_id == cast.user(Role.ADMIN).pk
    assert entry.organisation_id == cast.organisation.pk
    assert entry.after == {"user": user.pk, "role": "coach", "unit": cast.packaging.pk}


def test_grant_on_a_unit_of_another_organisation_is_refused_on_unit(cast: Cast) -> None:
    assert cast.other_organisation is not None
    foreign = make_unit(cast.other_organisation, "Vreemd")

    with pytest.raises(ValidationError) as caught:
        role_grant(
            organisation=cast.organisation,
            user=UserFactory(),
            role=Role.COACH,
            unit=foreign,
            by=cast.user(Role.ADMIN),
        )

    assert caught.value.message_dict == {"unit": [message("other_organisation")]}
    assert not RoleGrant.objects.filter(unit=foreign).exists()
    assert not AuditEntry.objects.filter(action="core.role_granted").exists()


def test_the_same_grant_twice_is_refused_on_role(cast: Cast) -> None:
    hr = cast.user(Role.HR)

    with pytest.raises(ValidationError) as caught:
        role_grant(organisation=cast.organisation, user=hr, role=Role.HR, by=cast.user(Role.ADMIN))

    assert caught.value.message_dict == {"role": [message("duplicate", user=hr)]}
    assert RoleGrant.objects.filter(organisation=cast.organisation, user=hr).count() == 1


def test_a_unit_grant_under_the_same_organisation_wide_role_is_refused_as_redundant(
    cast: Cast,
) -> None:
    coach = cast.user(Role.COACH)  # coach of the whole organisation

    with pytest.raises(ValidationError) as caught:
        role_grant(
            organisation=cast.organisation,
            user=coach,
            role=Role.COACH,
            unit=cast.packaging,
            by=cast.user(Role.ADMIN),
        )

    assert caught.value.message_dict == {"unit": [message("redundant_orgwide", user=coach)]}


def test_a_grant_on_a_sub_unit_of_a_held_unit_is_refused_as_redundant(cast: Cast) -> None:
    manager = cast.user(Role.MANAGER)  # manager of Productie, which contains Verpakking

    with pytest.raises(ValidationError) as caught:
        role_grant(
            organisation=cast.organisation,
            user=manager,
            role=Role.MANAGER,
            unit=cast.packaging,
            by=cast.user(Role.ADMIN),
        )

    assert caught.value.message_dict == {
        "unit": [message("redundant_parent", user=manager, unit="Productie")]
    }


def test_the_same_role_on_a_sibling_unit_is_allowed(cast: Cast) -> None:
    grant = role_grant(
        organisation=cast.organisation,
        user=cast.user(Role.MANAGER),
        role=Role.MANAGER,
        unit=cast.office,
        by=cast.user(Role.ADMIN),
    )

    assert grant.unit == cast.office


def test_an_administrator_is_never_limited_to_a_unit(cast: Cast) -> None:
    with pytest.raises(ValidationError) as caught:
        role_grant(
            organisation=cast.organisation,
            user=UserFactory(),
            role=Role.ADMIN,
            unit=cast.office,
            by=cast.user(Role.ADMIN),
        )

    assert caught.value.message_dict == {"unit": [message("admin_scoped")]}


def test_the_employee_role_is_not_granted(cast: Cast) -> None:
    with pytest.raises(ValidationError) as caught:
        role_grant(
            organisation=cast.organisation,
            user=UserFactory(),
            role=Role.EMPLOYEE,
            by=cast.user(Role.ADMIN),
        )

    assert caught.value.message_dict == {"role": [message("employee_role")]}


# --- role_revoke ---------------------------------------------------------------------------------


def test_revoke_deletes_the_grant_and_audits_it(cast: Cast) -> None:
    grant = RoleGrant.objects.get(organisation=cast.organisation, user=cast.user(Role.MANAGER))

    role_revoke(grant=grant, by=cast.user(Role.ADMIN))

    assert not RoleGrant.objects.filter(pk=grant.pk).exists()
    entry = AuditEntry.objects.get(action="core.role_revoked")
    assert entry.object_id == str(grant.pk)
    assert entry.before == {
        "user": cast.user(Role.MANAGER).pk,
        "role": "manager",
        "unit": cast.production.pk,
    }


def test_the_last_administrator_grant_cannot_be_revoked(cast: Cast) -> None:
    grant = admin_grant(cast)

    with pytest.raises(ValidationError) as caught:
        role_revoke(grant=grant, by=cast.user(Role.ADMIN))

    assert caught.value.message_dict == {"grant": [message("last_admin")]}
    assert RoleGrant.objects.filter(pk=grant.pk).exists()
    assert not AuditEntry.objects.filter(action="core.role_revoked").exists()


def test_an_administrator_grant_is_revoked_when_another_administrator_remains(cast: Cast) -> None:
    role_grant(
        organisation=cast.organisation,
        user=cast.user(Role.HR),
        role=Role.ADMIN,
        by=cast.user(Role.ADMIN),
    )

    role_revoke(grant=grant_of(cast, Role.ADMIN), by=cast.user(Role.ADMIN))

    assert list(
        RoleGrant.objects.filter(organisation=cast.organisation, role=Role.ADMIN).values_list(
            "user", flat=True
        )
    ) == [cast.user(Role.HR).pk]


# --- account_create_for_employee -----------------------------------------------------------------


def test_a_new_log_in_gets_a_one_time_password_and_is_linked(cast: Cast) -> None:
    assert cast.worker is not None

    user, password = account_create_for_employee(
        employee=cast.worker,
        email=" Wout.Werker@Example.test ",
        language="fr",
        by=cast.user(Role.HR),
    )

    assert password is not None
    assert user.email == "wout.werker@example.test"
    assert user.check_password(password)
    assert (user.first_name, user.last_name, user.language) == ("Wout", "Werker", "fr")
    cast.worker.refresh_from_db()
    assert cast.worker.user == user
    actions = AuditEntry.objects.filter(organisation_id=cast.organisation.pk).order_by("id")
    assert list(actions.values_list("action", flat=True))[-2:] == [
        "core.account_created",
        "people.user_linked",
    ]


def test_an_existing_log_in_is_linked_by_email_and_keeps_its_password(cast: Cast) -> None:
    assert cast.other_hr is not None
    assert cast.worker is not None
    users_before = User.objects.count()

    user, password = account_create_for_employee(
        employee=cast.worker, email="HR@other.test", language="nl", by=cast.user(Role.HR)
    )

    assert (user, password) == (cast.other_hr, None)
    assert User.objects.count() == users_before
    assert user.check_password("correct horse battery staple")
    cast.worker.refresh_from_db()
    assert cast.worker.user == cast.other_hr
    assert not AuditEntry.objects.filter(action="core.account_created").exists()
    assert AuditEntry.objects.filter(action="people.user_linked").exists()


def test_a_person_with_a_log_in_gets_no_second_one(cast: Cast) -> None:
    person = cast.employees[Role.COACH]

    with pytest.raises(ValidationError) as caught:
        account_create_for_employee(
            employee=person, email="new@example.test", language="nl", by=cast.user(Role.HR)
        )

    assert caught.value.message_dict == {
        "email": [message("has_account", email=cast.user(Role.COACH).email)]
    }
    assert not User.objects.filter(email="new@example.test").exists()


def test_a_log_in_of_another_person_here_is_not_linked_twice(cast: Cast) -> None:
    assert cast.worker is not None
    coach = cast.user(Role.COACH)

    with pytest.raises(ValidationError) as caught:
        account_create_for_employee(
            employee=cast.worker, email=coach.email, language="nl", by=cast.user(Role.HR)
        )

    assert caught.value.message_dict == {
        "email": [message("user_linked", email=coach.email, name=cast.employees[Role.COACH])]
    }
    cast.worker.refresh_from_db()
    assert cast.worker.user is None


# --- organisation_create -------------------------------------------------------------------------


def test_the_install_administrator_creates_an_organisation_and_administers_it(db: None) -> None:
    root = UserFactory(is_superuser=True, is_staff=True)

    org = organisation_create(
        name="Bakkerij Peeters", slug="bakkerij-peeters", by=root, sector="Bakkerij"
    )

    assert org.sector == "Bakkerij"
    assert RoleGrant.objects.filter(
        organisation=org, user=root, role=Role.ADMIN, unit=None
    ).exists()
    actions = list(
        AuditEntry.objects.filter(organisation_id=org.pk)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["people.organisation_created", "core.role_granted"]


def test_only_a_superuser_creates_an_organisation(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        organisation_create(name="Nieuw", slug="nieuw", by=cast.user(Role.ADMIN))

    assert not Organisation.objects.filter(slug="nieuw").exists()


def test_a_taken_short_name_is_refused_on_slug(cast: Cast) -> None:
    root = UserFactory(is_superuser=True)

    with pytest.raises(ValidationError) as caught:
        organisation_create(name="Kopie", slug=cast.organisation.slug, by=root)

    assert caught.value.message_dict == {"slug": [message("duplicate_slug")]}


# --- Pages ---------------------------------------------------------------------------------------


def test_hr_sees_the_roles_but_cannot_change_them(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.user(Role.HR))

    page = client.get(reverse("core:role-list"))
    grant = client.post(reverse("core:role-grant"), {"email": "hr@other.test", "role": Role.COACH})
    revoke = client.post(
        reverse("core:role-revoke", kwargs={"grant_id": grant_of(cast, Role.COACH).pk}),
        {"confirm": "yes"},
    )

    assert page.status_code == 200
    body = page.content.decode()
    assert "manager@example.test" in body
    assert reverse("core:role-grant") not in body
    assert (grant.status_code, revoke.status_code) == (403, 403)
    assert RoleGrant.objects.filter(pk=grant_of(cast, Role.COACH).pk).exists()


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.MANAGER])
def test_others_may_not_open_the_roles(cast: Cast, client_for: Any, role: Role) -> None:
    client = client_for(cast.user(role))

    assert client.get(reverse("core:role-list")).status_code == 403
    assert client.get(reverse("core:role-grant")).status_code == 403


def test_admin_grants_a_role_to_a_person_of_the_register(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.user(Role.ADMIN))
    person = cast.employees[Role.EMPLOYEE]

    response = client.post(
        reverse("core:role-grant"),
        {"person": person.pk, "role": Role.MENTOR, "unit": cast.packaging.pk},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("core:role-list"), 302)]
    assert RoleGrant.objects.filter(
        user=cast.user(Role.EMPLOYEE), role=Role.MENTOR, unit=cast.packaging
    ).exists()
    assert "now holds the role Mentor in Verpakking" in response.content.decode()


def test_admin_grants_a_role_to_a_log_in_found_by_email(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.user(Role.ADMIN))

    response = client.post(
        reverse("core:role-grant"), {"email": " HR@Other.test ", "role": Role.CONSULTATION}
    )

    assert response.status_code == 302
    assert RoleGrant.objects.filter(
        organisation=cast.organisation, user=cast.other_hr, role=Role.CONSULTATION, unit=None
    ).exists()


def test_grant_form_puts_the_service_refusal_on_the_unit_field(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.user(Role.ADMIN))

    response = client.post(
        reverse("core:role-grant"),
        {"email": "coach@example.test", "role": Role.COACH, "unit": cast.packaging.pk},
    )

    assert response.status_code == 422
    assert response.context["form"].errors == {
        "unit": [message("redundant_orgwide", user=cast.user(Role.COACH))]
    }


def test_grant_form_asks_for_a_person_or_an_email(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.user(Role.ADMIN))

    missing = client.post(reverse("core:role-grant"), {"role": Role.COACH})
    unknown = client.post(
        reverse("core:role-grant"), {"email": "nobody@example.test", "role": Role.COACH}
    )

    assert missing.status_code == unknown.status_code == 422
    form = missing.context["form"]
    assert form.non_field_errors() == [str(form.error_messages["who_missing"])]
    assert unknown.context["form"].errors["email"] == [str(form.error_messages["unknown_email"])]


def test_revoke_asks_for_confirmation_first(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.user(Role.ADMIN))
    grant = grant_of(cast, Role.COACH)
    url = reverse("core:role-revoke", kwargs={"grant_id": grant.pk})

    as_get = client.get(url)
    asked = client.post(url)

    assert as_get.status_code == 405
    assert asked.status_code == 200
    assert 'name="confirm" value="yes"' in asked.content.decode()
    assert RoleGrant.objects.filter(pk=grant.pk).exists()


def test_confirmed_revoke_removes_the_grant(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.user(Role.ADMIN))
    grant = grant_of(cast, Role.COACH)

    response = client.post(
        reverse("core:role-revoke", kwargs={"grant_id": grant.pk}), {"confirm": "yes"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("core:role-list")
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()


def test_revoking_the_last_administrator_shows_why_it_is_refused(
    cast: Cast, client_for: Any
) -> None:
    client = client_for(cast.user(Role.ADMIN))
    grant = admin_grant(cast)

    response = client.post(
        reverse("core:role-revoke", kwargs={"grant_id": grant.pk}), {"confirm": "yes"}
    )

    assert response.status_code == 422
    assert message("last_admin") in response.content.decode()
    assert RoleGrant.objects.filter(pk=grant.pk).exists()


def test_a_grant_of_another_organisation_does_not_exist_here(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.user(Role.ADMIN))
    foreign = RoleGrant.objects.get(user=cast.other_hr)

    response = client.post(
        reverse("core:role-revoke", kwargs={"grant_id": foreign.pk}), {"confirm": "yes"}
    )

    assert response.status_code == 404
    assert RoleGrant.objects.filter(pk=foreign.pk).exists()


def test_hr_creates_a_log_in_and_sees_the_password_once(cast: Cast, client_for: Any) -> None:
    assert cast.worker is not None
    client = client_for(cast.user(Role.HR))
    url = reverse("core:account-create", kwargs={"employee_id": cast.worker.pk})

    form = client.get(url)
    response = client.post(url, {"email": "wout@example.test", "language": "nl"})

    assert form.status_code == 200
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    password = response.context["password"]
    assert password in response.content.decode()
    user = User.objects.get(email="wout@example.test")
    assert user.check_password(password)
    assert Employee.objects.get(pk=cast.worker.pk).user == user
    again = client.get(url)
    assert again.status_code == 302
    assert password not in client.get(again["Location"]).content.decode()


def test_person_page_offers_a_log_in_to_hr_only_when_there_is_none(
    cast: Cast, client_for: Any
) -> None:
    assert cast.worker is not None
    link = reverse("core:account-create", kwargs={"employee_id": cast.worker.pk})
    detail = reverse("people:employee-detail", kwargs={"employee_id": cast.worker.pk})

    as_hr = client_for(cast.user(Role.HR)).get(detail).content.decode()
    as_manager = client_for(cast.user(Role.MANAGER)).get(detail).content.decode()
    coach_page = client_for(cast.user(Role.HR)).get(
        reverse("people:employee-detail", kwargs={"employee_id": cast.employees[Role.COACH].pk})
    )

    assert link in as_hr
    assert link not in as_manager
    assert "Create log-in" not in coach_page.content.decode()


def test_role_list_filters_by_role(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.user(Role.HR))

    body = client.get(reverse("core:role-list"), {"role": Role.MANAGER}).content.decode()

    assert "manager@example.test" in body
    assert "coach@example.test" not in body


def add_role_holders(cast: Cast, count: int) -> None:
    units = [cast.packaging, cast.office]
    admin = cast.user(Role.ADMIN)
    for index in range(count):
        user = UserFactory()
        if index % 2:
            EmployeeFactory(organisation=cast.organisation, user=user, unit=units[index % 2])
        role_grant(
            organisation=cast.organisation,
            user=user,
            role=Role.INSTRUCTOR,
            unit=units[index % 2],
            by=admin,
        )
        role_grant(organisation=cast.organisation, user=user, role=Role.MENTOR, by=admin)


def test_role_list_keeps_a_fixed_query_count(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(cast.user(Role.ADMIN))
    add_role_holders(cast, 3)
    with django_assert_max_num_queries(12) as small:
        assert client.get(reverse("core:role-list")).status_code == 200

    add_role_holders(cast, 60)  # more than one page

    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("core:role-list"))
    assert response.status_code == 200
    assert len(response.context["rows"]) == 50


def test_menu_shows_roles_and_access_to_hr_and_not_to_a_manager(
    cast: Cast, client_for: Any
) -> None:
    url = reverse("core:role-list")

    assert url in client_for(cast.user(Role.HR)).get(reverse("core:home")).content.decode()
    assert url not in client_for(cast.user(Role.MANAGER)).get(reverse("core:home")).content.decode()
