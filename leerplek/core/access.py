"""What the current user may reach in the current organisation, loaded once per request.

Predicates in `core/rules.py` and the `visible_to` querysets read this object, never the database,
so a page's query count does not grow with the number of rows it checks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q

from leerplek.core.roles import Role

if TYPE_CHECKING:
    from leerplek.people.models import Organisation, User


@dataclass(frozen=True)
class Grant:
    role: Role
    unit_id: int | None
    unit_path: str | None  # None: the whole organisation


@dataclass
class Access:
    user_id: int | None
    organisation: Organisation | None
    employee_id: int | None = None
    employee_unit_path: str | None = None
    grants: list[Grant] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    # Loaded on first use by `mentee_ids`: most pages never ask, so most requests never pay.
    _mentee_ids: frozenset[int] | None = field(default=None, repr=False, compare=False)

    def mentee_ids(self) -> frozenset[int]:
        """The people this user currently guides (peter/meter, backup, coach, ...): one query,
        once per request, and none for a user without a person record here."""
        if self._mentee_ids is None:
            if self.employee_id is None or self.organisation is None:
                self._mentee_ids = frozenset()
            else:
                from django.apps import apps

                guidance = apps.get_model("onboarding", "Guidance")
                self._mentee_ids = frozenset(
                    guidance.objects.current()
                    .filter(organisation_id=self.organisation.pk, guide_id=self.employee_id)
                    .values_list("learner_id", flat=True)
                )
        return self._mentee_ids

    @property
    def organisation_id(self) -> int | None:
        return self.organisation.pk if self.organisation is not None else None

    @property
    def roles(self) -> frozenset[Role]:
        roles = {grant.role for grant in self.grants}
        if self.employee_id is not None:
            roles.add(Role.EMPLOYEE)
        return frozenset(roles)

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    def scope_paths(self, roles: Iterable[Role]) -> list[str] | None:
        """Unit paths covered by `roles`; None means the whole organisation, [] means nothing."""
        wanted = set(roles)
        paths: list[str] = []
        for grant in self.grants:
            if grant.role not in wanted:
                continue
            if grant.unit_path is None:
                return None
            paths.append(grant.unit_path)
        return paths

    def covers_path(self, roles: Iterable[Role], unit_path: str | None) -> bool:
        paths = self.scope_paths(roles)
        if paths is None:
            return True
        if not unit_path:
            return False
        return any(unit_path.startswith(path) for path in paths)

    def employee_scope_q(self, roles: Iterable[Role] | None = None, prefix: str = "") -> Q:
        """A filter for the people this user may see through `roles` (default: the viewing roles).

        Always restricted to the current organisation; the user's own record is always included.
        """
        from leerplek.core.permissions import VIEW_PEOPLE_ROLES

        if self.organisation is None:
            return Q(pk__in=[])
        roles = VIEW_PEOPLE_ROLES if roles is None else roles
        paths = self.scope_paths(roles)
        org = Q(**{f"{prefix}organisation_id": self.organisation.pk})
        if paths is None:
            return org
        reach = Q(pk__in=[])
        for path in paths:
            reach |= Q(**{f"{prefix}unit__path__startswith": path})
        if self.employee_id is not None:
            reach |= Q(**{f"{prefix}pk": self.employee_id})
        return org & reach


ANONYMOUS = Access(user_id=None, organisation=None)


def load_access(user: User, organisation_id: int | None = None) -> Access:
    """Load the organisations, grants and own person record of `user` (three queries).

    The organisation is `organisation_id` when the user belongs to it, else the user's
    current organisation, else the first one he belongs to.
    """
    from leerplek.core.models import RoleGrant
    from leerplek.people.models import Employee, Organisation

    member_of = Q(role_grants__user=user) | Q(
        employees__user=user, employees__exit_date__isnull=True
    )
    organisations = list(Organisation.objects.filter(member_of).distinct().order_by("name"))
    if not organisations:
        return Access(user_id=user.pk, organisation=None)
    by_id = {org.pk: org for org in organisations}
    wanted = organisation_id or user.current_organisation_id
    organisation = by_id.get(wanted) if wanted else None
    organisation = organisation or organisations[0]
    grants = [
        Grant(role=Role(role), unit_id=unit_id, unit_path=unit_path)
        for role, unit_id, unit_path in RoleGrant.objects.filter(
            organisation=organisation, user=user
        ).values_list("role", "unit_id", "unit__path")
    ]
    employee = (
        Employee.objects.filter(organisation=organisation, user=user)
        .values_list("pk", "unit__path")
        .first()
    )
    return Access(
        user_id=user.pk,
        organisation=organisation,
        employee_id=employee[0] if employee else None,
        employee_unit_path=employee[1] if employee else None,
        grants=grants,
        organisations=organisations,
    )
