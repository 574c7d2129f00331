"""Writes on roles and log-ins (ORG-06), and the read behind the roles page.

An organisation's administrators grant roles on a scope and make log-ins for people of the register,
so nobody needs the Django admin for it. The install's administrator (a superuser) creates
organisations. Every write validates first, runs in one transaction and appends to the audit log.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email, validate_slug
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from leerplek.core import audit
from leerplek.core.errors import field_error
from leerplek.core.models import RoleGrant
from leerplek.core.roles import Role
from leerplek.people import services as people_services
from leerplek.people.models import Employee, Language, Organisation, OrgUnit, User

ERRORS = {
    "invalid_role": _("Choose a role from the list."),
    "employee_role": _(
        "Everyone with a person record here is an employee already. To let a person see his own "
        "record, create a log-in from his page in People."
    ),
    "admin_scoped": _("An administrator manages the whole organisation: leave the scope empty."),
    "other_organisation": _("Choose a unit of this organisation."),
    "duplicate": _("%(user)s already holds this role with this scope."),
    "redundant_orgwide": _(
        "%(user)s already holds this role for the whole organisation, which includes every "
        "unit. Revoke that grant first if the role should cover this unit only."
    ),
    "redundant_parent": _(
        "%(user)s already holds this role on %(unit)s, which contains this unit."
    ),
    "last_admin": _(
        "This is the last administrator of the organisation. Make someone else administrator "
        "first, so that the organisation is never locked out."
    ),
    "has_account": _("This person already has a log-in: %(email)s."),
    "invalid_email": _("Enter a valid email address, e.g. name@company.be."),
    "invalid_language": _("Choose Dutch, French or English."),
    "user_linked": _(
        "The log-in %(email)s already belongs to %(name)s in this organisation. Use another "
        "email address."
    ),
    "name_required": _("Enter the name of the organisation."),
    "invalid_slug": _(
        "Use only lower-case letters, digits and hyphens for the short name, e.g. bakkerij-peeters."
    ),
    "duplicate_slug": _("Another organisation already uses this short name."),
    "not_superuser": _(
        "Only the administrator of this Leerplek installation creates organisations."
    ),
}

# Letters and digits that cannot be mistaken for one another when read aloud or copied by hand.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
PASSWORD_GROUPS = 4  # four groups of four: about 79 bits


def _lock_organisation(organisation_id: int) -> None:
    """Serialise role changes per organisation.

    Two administrators revoking each other's grant at the same moment would otherwise both see
    the other one left and lock the organisation out; the same lock keeps grants unique.
    """
    Organisation.objects.select_for_update().filter(pk=organisation_id).first()


def _grant_values(grant: RoleGrant) -> dict[str, Any]:
    return {"user": grant.user_id, "role": grant.role, "unit": grant.unit_id}


# --- Roles ---------------------------------------------------------------------------------------


@transaction.atomic
def role_grant(
    *,
    organisation: Organisation,
    user: User,
    role: str,
    unit: OrgUnit | None = None,
    by: User | None,
) -> RoleGrant:
    """Give `user` the role `role` in `organisation` on `unit` and its sub-units (None: everywhere).

    Rules: a known role other than employee (a person record makes an employee); an administrator
    is never limited to a unit; the unit belongs to the organisation; no grant twice; no grant
    that one the user already holds covers (the same role organisation-wide or on a parent unit).
    Raises ValidationError on "role" or "unit".
    """
    if role not in Role.values:
        raise field_error("role", ERRORS["invalid_role"], code="invalid_role")
    if role == Role.EMPLOYEE:
        raise field_error("role", ERRORS["employee_role"], code="employee_role")
    if unit is not None and unit.organisation_id != organisation.pk:
        raise field_error("unit", ERRORS["other_organisation"], code="other_organisation")
    if unit is not None and role == Role.ADMIN:
        # A unit-scoped administrator could still grant himself the whole organisation.
        raise field_error("unit", ERRORS["admin_scoped"], code="admin_scoped")
    _lock_organisation(organisation.pk)
    held = list(
        RoleGrant.objects.filter(organisation=organisation, user=user, role=role).select_related(
            "unit"
        )
    )
    names = {"user": str(user)}
    for existing in held:
        if existing.unit_id == (unit.pk if unit else None):
            raise field_error("role", ERRORS["duplicate"], code="duplicate", params=names)
        if unit is not None and existing.unit is None:
            raise field_error("unit", ERRORS["redundant_orgwide"], code="redundant", params=names)
        if unit is not None and existing.unit and unit.path.startswith(existing.unit.path):
            raise field_error(
                "unit",
                ERRORS["redundant_parent"],
                code="redundant",
                params={**names, "unit": existing.unit.name},
            )
    grant = RoleGrant.objects.create(organisation=organisation, user=user, role=role, unit=unit)
    audit.record(
        actor=by,
        action="core.role_granted",
        obj=grant,
        organisation=organisation,
        after=_grant_values(grant),
    )
    return grant


@transaction.atomic
def role_revoke(*, grant: RoleGrant, by: User | None) -> None:
    """Take a role grant away. Revoking a grant that is already gone changes nothing.

    Rule: the last organisation-wide administrator grant stays, so the organisation can always
    manage itself. Raises ValidationError on "grant".
    """
    _lock_organisation(grant.organisation_id)
    current = RoleGrant.objects.filter(pk=grant.pk).select_related("user").first()
    if current is None:
        return
    if current.role == Role.ADMIN and current.unit_id is None:
        others = RoleGrant.objects.filter(
            organisation_id=current.organisation_id, role=Role.ADMIN, unit__isnull=True
        ).exclude(pk=current.pk)
        if not others.exists():
            raise field_error("grant", ERRORS["last_admin"], code="last_admin")
    audit.record(
        actor=by,
        action="core.role_revoked",
        obj=current,
        before=_grant_values(current),
    )
    current.delete()


# --- Log-ins -------------------------------------------------------------------------------------


def one_time_password() -> str:
    """A random password that is easy to read out and type, e.g. "k7mq-4tzp-x9ae-hn3w"."""
    groups = (
        "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(4)) for _ in range(PASSWORD_GROUPS)
    )
    return "-".join(groups)


@transaction.atomic
def account_create_for_employee(
    *, employee: Employee, email: str, language: str, by: User | None
) -> tuple[User, str | None]:
    """Give a person of the register a log-in and link it to his record.

    When a log-in with `email` exists (a sector adviser works for several organisations), it is
    linked as it is and its password is left alone: returns (user, None). Otherwise a new log-in
    is made with a one-time password, returned once and never stored in clear: (user, password).
    Rules: the person has no log-in yet; the email is valid; an existing log-in is not linked to
    another person of this organisation. Raises ValidationError on "email" or "language".
    """
    # Lock the person: two clicks on "Create log-in" must not make two accounts.
    employee = (
        Employee.objects.select_for_update(of=("self",))
        .select_related("user", "organisation")
        .get(pk=employee.pk)
    )
    if employee.user is not None:
        raise field_error(
            "email",
            ERRORS["has_account"],
            code="has_account",
            params={"email": employee.user.email},
        )
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise field_error("email", ERRORS["invalid_email"], code="invalid_email") from None
    if language not in Language.values:
        raise field_error("language", ERRORS["invalid_language"], code="invalid_choice")
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        other = Employee.objects.filter(organisation_id=employee.organisation_id, user=existing)
        holder = other.exclude(pk=employee.pk).first()
        if holder is not None:
            raise field_error(
                "email",
                ERRORS["user_linked"],
                code="user_linked",
                params={"email": existing.email, "name": str(holder)},
            )
        people_services.employee_link_user(employee=employee, user=existing, by=by)
        return existing, None
    password = one_time_password()
    user = User.objects.create_user(
        email,
        password,
        first_name=employee.first_name,
        last_name=employee.last_name,
        language=language,
        current_organisation_id=employee.organisation_id,
    )
    audit.record(
        actor=by,
        action="core.account_created",
        obj=user,
        organisation=employee.organisation,
        after={"email": user.email, "language": language, "employee": employee.pk},
    )
    people_services.employee_link_user(employee=employee, user=user, by=by)
    return user, password


# --- Organisations -------------------------------------------------------------------------------


@transaction.atomic
def organisation_create(*, name: str, slug: str, by: User, **values: Any) -> Organisation:
    """Create an organisation and make its creator (the install's administrator) its administrator.

    `values` are further profile fields (sector, joint committee, ...). Rules: only a superuser
    creates organisations (PermissionDenied otherwise); a name; a unique short name made of
    lower-case letters, digits and hyphens. Raises ValidationError on "name" or "slug".
    """
    if not by.is_superuser:
        raise PermissionDenied(ERRORS["not_superuser"])
    unknown = set(values) - set(people_services.ORGANISATION_FIELDS)
    if unknown:
        raise TypeError(f"organisation_create() got unknown fields: {sorted(unknown)}")
    name = name.strip()
    if not name:
        raise field_error("name", ERRORS["name_required"], code="required")
    slug = slug.strip()
    try:
        validate_slug(slug)
    except ValidationError:
        raise field_error("slug", ERRORS["invalid_slug"], code="invalid_slug") from None
    if slug != slug.lower():
        raise field_error("slug", ERRORS["invalid_slug"], code="invalid_slug")
    if Organisation.objects.filter(slug=slug).exists():
        raise field_error("slug", ERRORS["duplicate_slug"], code="duplicate_slug")
    organisation = Organisation(name=name, slug=slug, **values)
    organisation.full_clean(exclude=["slug"])
    organisation.save()
    audit.record(
        actor=by,
        action="people.organisation_created",
        obj=organisation,
        after={"name": organisation.name, "slug": organisation.slug},
    )
    role_grant(organisation=organisation, user=by, role=Role.ADMIN, by=by)
    return organisation


# --- Reads ---------------------------------------------------------------------------------------


@dataclass
class RoleHolder:
    """A user with his grants in one organisation, and his person record there (if any)."""

    user: User
    grants: list[RoleGrant] = field(default_factory=list)
    person: Employee | None = None


def role_holders(*, organisation: Organisation, role: str | None = None) -> list[RoleHolder]:
    """Everyone holding a role in `organisation`, by name, each with all his grants (two queries).

    With `role`, only the users who hold that role (on any scope).
    """
    grants = RoleGrant.objects.filter(organisation=organisation).select_related("user", "unit")
    if role:
        holding = RoleGrant.objects.filter(organisation=organisation, role=role)
        grants = grants.filter(user_id__in=holding.values("user_id"))
    order = {value: index for index, value in enumerate(Role.values)}
    holders: dict[int, RoleHolder] = {}
    for grant in grants:
        holders.setdefault(grant.user_id, RoleHolder(user=grant.user)).grants.append(grant)
    for holder in holders.values():
        holder.grants.sort(key=lambda g: (order[g.role], g.unit.path if g.unit else ""))
    people = Employee.objects.filter(
        organisation=organisation, user_id__in=list(holders)
    ).select_related("unit")
    for person in people:
        if person.user_id is not None:
            holders[person.user_id].person = person
    return sorted(
        holders.values(),
        key=lambda h: (h.user.last_name.lower(), h.user.first_name.lower(), h.user.email),
    )
