"""The main menu: each entry shows only to users who hold its permission."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from leerplek.core.access import Access


@dataclass(frozen=True)
class MenuItem:
    label: str | Promise
    url_name: str
    perm: str
    # Shown by the roles of the permission table alone: a guide holds some permissions on the
    # learners he guides (core.rules), which does not open the organisation's lists to him.
    by_role: bool = False

    def shown_to(self, user: Any, access: Access) -> bool:
        if self.by_role:
            from leerplek.core.permissions import PERMISSIONS

            return access.has_role(*PERMISSIONS[self.perm].roles)
        return bool(user.has_perm(self.perm))


MENU = [
    MenuItem(_("Home"), "core:home", "core.view_home"),
    MenuItem(_("People"), "people:employee-list", "people.list_employees"),
    MenuItem(_("Units"), "people:unit-list", "people.view_unit"),
    MenuItem(pgettext_lazy("job", "Functions"), "people:job-list", "people.view_job"),
    MenuItem(_("Workstations"), "people:workstation-list", "people.view_workstation"),
    MenuItem(_("Competences"), "competences:competence-list", "competences.view_catalogue"),
    MenuItem(_("Skills matrix"), "competences:matrix", "competences.view_matrix"),
    MenuItem(_("Skill gaps"), "competences:gaps", "competences.view_gaps"),
    MenuItem(_("Training needs"), "competences:need-list", "competences.manage_needs"),
    MenuItem(_("Knowledge at risk"), "competences:retention", "competences.view_retention"),
    MenuItem(_("Transfer plans"), "competences:transfer-plan-list", "competences.plan_transfer"),
    MenuItem(_("My onboarding"), "onboarding:mine", "onboarding.view_own"),
    MenuItem(_("Onboardings"), "onboarding:onboarding-list", "onboarding.view_onboarding"),
    MenuItem(_("Progress reviews"), "onboarding:review-list", "onboarding.view_reviews"),
    MenuItem(_("Onboarding compliance"), "onboarding:compliance", "onboarding.view_compliance"),
    MenuItem(_("Peter/meter pool"), "onboarding:pool", "onboarding.view_pool"),
    MenuItem(_("Onboarding results"), "onboarding:metrics", "onboarding.view_metrics"),
    MenuItem(_("Match peters/meters"), "onboarding:matching", "onboarding.match_guides"),
    MenuItem(_("Onboarding templates"), "onboarding:template-list", "onboarding.manage_templates"),
    MenuItem(_("Guidance"), "onboarding:guidance-list", "onboarding.manage_guidance"),
    MenuItem(_("Caseload"), "onboarding:caseload", "onboarding.view_caseload"),
    MenuItem(
        _("Safety instructions"), "onboarding:instruction-list", "onboarding.manage_instructions"
    ),
    MenuItem(_("Onthaal register"), "onboarding:register", "onboarding.view_register"),
    MenuItem(_("My learning"), "training:mine", "training.follow_own"),
    MenuItem(_("Learners"), "training:assignment-list", "training.view_assignments", by_role=True),
    MenuItem(_("Programmes"), "training:programme-list", "training.view_programmes"),
    MenuItem(_("Work instructions"), "training:instruction-list", "training.view_instructions"),
    MenuItem(_("Machine ranking"), "training:ranking-list", "training.rank_machines"),
    MenuItem(_("Training usage"), "training:usage", "training.view_usage"),
    MenuItem(_("My training right"), "registration:my-right", "registration.view_own_right"),
    MenuItem(
        _("My training sessions"), "registration:my-sessions", "registration.view_own_sessions"
    ),
    MenuItem(_("Log what I learnt"), "registration:quick-log", "registration.log_own"),
    MenuItem(
        _("Learning activities"),
        "registration:activity-list",
        "registration.view_activities",
        by_role=True,
    ),
    MenuItem(_("Drafts to confirm"), "registration:draft-list", "registration.confirm_drafts"),
    MenuItem(
        _("Logged learning to confirm"),
        "registration:quick-log-review",
        "registration.confirm_logs",
    ),
    MenuItem(_("Import registrations"), "registration:import", "registration.import_activities"),
    MenuItem(_("Registration fields"), "registration:field-list", "registration.configure"),
    MenuItem(
        _("Social balance"), "registration:social-balance", "registration.view_social_balance"
    ),
    MenuItem(_("Training volume"), "registration:volume", "registration.view_volume"),
    MenuItem(_("Training plan"), "registration:plan-list", "registration.view_plan"),
    MenuItem(_("Proposed training needs"), "registration:need-list", "registration.view_plan"),
    MenuItem(
        _("Applying courses at work"), "registration:transfer-list", "registration.follow_transfer"
    ),
    MenuItem(_("Training rights"), "registration:rights", "registration.view_rights"),
    MenuItem(
        _("Session scheduling"), "registration:schedule-list", "registration.schedule_sessions"
    ),
    MenuItem(_("Propose a training need"), "registration:need-submit", "registration.submit_needs"),
    MenuItem(_("Figures"), "people:aggregates", "people.view_aggregates"),
    MenuItem(_("Import"), "people:import", "people.import_data"),
    MenuItem(_("Roles and access"), "core:role-list", "core.view_roles"),
    MenuItem(_("Audit log"), "core:audit-list", "core.view_audit"),
]


# The menu falls into sections; each starts at the entry named here. A section's heading shows
# only when the user sees at least one of its entries.
SECTIONS: dict[str, str | Promise] = {
    "people:employee-list": _("Organisation"),
    "competences:competence-list": _("Competences"),
    "onboarding:mine": _("Onboarding"),
    "training:mine": _("Learning on the job"),
    "registration:my-right": _("Learning registration"),
    "people:aggregates": _("Administration"),
}


def menu_for(user: Any, access: Access) -> list[dict[str, str]]:
    if not getattr(user, "is_authenticated", False) or access.organisation is None:
        return []
    entries = []
    group = ""
    for item in MENU:
        group = str(SECTIONS.get(item.url_name, group))
        if item.shown_to(user, access):
            entries.append(
                {
                    "label": str(item.label),
                    "url": reverse(item.url_name),
                    "name": item.url_name,
                    "group": group,
                }
            )
    return entries
