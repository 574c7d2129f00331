"""django-rules predicates, generated from the permission table in `core/permissions.py`."""

from __future__ import annotations

from typing import Any

import rules

from leerplek.core.access import ANONYMOUS, Access
from leerplek.core.permissions import PERMISSIONS, Rule
from leerplek.core.roles import Role


def access_of(user: Any) -> Access:
    return getattr(user, "access", ANONYMOUS)


def organisation_id_of(obj: Any) -> int | None:
    from leerplek.people.models import Organisation

    if isinstance(obj, Organisation):
        return obj.pk
    return getattr(obj, "organisation_id", None)


def unit_path_of(obj: Any) -> str | None:
    """The unit path that scopes `obj`, or None for organisation-wide objects.

    Callers load the unit with `select_related` so this reads no rows.
    """
    from leerplek.people.models import Employee, OrgUnit, Workstation

    if isinstance(obj, OrgUnit):
        return obj.path
    if isinstance(obj, Employee | Workstation):
        return obj.unit.path if obj.unit is not None else ""
    # Records about one person (an onboarding) are scoped by that person's unit.
    return getattr(obj, "scope_unit_path", None)


def is_own_record(access: Access, obj: Any) -> bool:
    from leerplek.people.models import Employee

    if obj is None:
        return access.employee_id is not None
    return isinstance(obj, Employee) and obj.pk == access.employee_id


@rules.predicate
def is_mentor_of(user: Any, obj: Any = None) -> bool:
    """A guide (peter/meter, backup, coach, instructor) acts on the people he currently guides
    and their records; without an object, on whether he guides anyone at all."""
    access = access_of(user)
    if access.organisation is None:
        return False
    if obj is None:
        return bool(access.mentee_ids())
    if organisation_id_of(obj) != access.organisation_id:
        return False
    from leerplek.people.models import Employee

    person_id = obj.pk if isinstance(obj, Employee) else getattr(obj, "employee_id", None)
    return person_id is not None and person_id in access.mentee_ids()


# Permissions a guide holds on his mentees beyond what his roles give him.
MENTOR_PERMISSIONS = {
    "people.view_employee",
    "onboarding.view_onboarding",
    "onboarding.complete_task",
    "onboarding.confirm_instruction",
    "onboarding.view_reviews",
    "onboarding.record_review",
    "onboarding.observe",
    "onboarding.view_notebook",
    "onboarding.answer_pulse",
}


@rules.predicate
def is_programme_guide_of(user: Any, obj: Any = None) -> bool:
    """The peter/meter or instructor named on a learner's programme acts on it and on what hangs
    from it (a sign-off, a test attempt); without an object, whether he may guide at all."""
    access = access_of(user)
    if access.organisation is None or access.employee_id is None:
        return False
    if obj is None:
        return access.has_role(Role.MENTOR, Role.INSTRUCTOR, Role.COACH) or bool(
            access.mentee_ids()
        )
    if organisation_id_of(obj) != access.organisation_id:
        return False
    assignment = obj if hasattr(obj, "guide_id") else getattr(obj, "assignment", None)
    return assignment is not None and assignment.guide_id == access.employee_id


# Permissions the guide named on a programme assignment holds on it (#6), beyond his roles; a
# peter/meter of the learner (is_mentor_of) holds them too.
PROGRAMME_GUIDE_PERMISSIONS = {
    "training.view_assignments",
    "training.guide_learner",
    "training.observe_tests",
}


def make_predicate(name: str, rule: Rule) -> rules.Predicate:
    def check(user: Any, obj: Any = None) -> bool:
        access = access_of(user)
        if access.organisation is None:
            return False
        if obj is not None and organisation_id_of(obj) != access.organisation_id:
            return False
        if rule.own and is_own_record(access, obj):
            return True
        if not access.has_role(*rule.roles):
            return False
        if obj is None or not rule.scoped:
            return True
        path = unit_path_of(obj)
        return path is None or access.covers_path(rule.roles, path)

    return rules.predicate(check, name=name)


for perm_name, perm_rule in PERMISSIONS.items():
    predicate = make_predicate(perm_name, perm_rule)
    if perm_name in MENTOR_PERMISSIONS:
        predicate = predicate | is_mentor_of
    if perm_name in PROGRAMME_GUIDE_PERMISSIONS:
        predicate = predicate | is_mentor_of | is_programme_guide_of
    rules.add_perm(perm_name, predicate)
