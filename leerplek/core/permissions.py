"""The one table of who may do what. Deny by default: a permission not listed here is refused.

Each permission names the roles that hold it. For an object with a unit (a person, a unit, a
workstation) the role must be granted on a unit that contains it; `own` lets a person act on his own
record whatever his roles. `tests/core/test_url_permissions.py` walks every URL as every demo role
against this table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from leerplek.core.roles import ALL_ROLES, Role


@dataclass(frozen=True)
class Rule:
    roles: frozenset[Role]
    own: bool = False
    # False: any holder of one of the roles may act on every object of the organisation (the
    # organisation's structure is public to its members); True: only within the grant's units.
    scoped: bool = True


# Every member may read how the organisation is structured.
MEMBERS_READ: dict[str, Any] = {"roles": ALL_ROLES, "scoped": False}


def _roles(*roles: Role) -> frozenset[Role]:
    return frozenset(roles)


HR_ADMIN = _roles(Role.HR, Role.ADMIN)
# Who may open people's records (within the scope of the grant).
VIEW_PEOPLE_ROLES = _roles(Role.HR, Role.ADMIN, Role.MANAGER, Role.PREVENTION_ADVISER)

PERMISSIONS: dict[str, Rule] = {
    "core.view_home": Rule(ALL_ROLES),
    "core.view_profile": Rule(ALL_ROLES),
    "core.manage_tokens": Rule(ALL_ROLES),
    "core.export_own_data": Rule(frozenset(), own=True),
    "core.view_audit": Rule(HR_ADMIN),
    # Who holds which role: HR may look, only an administrator changes it.
    "core.view_roles": Rule(HR_ADMIN),
    "core.manage_roles": Rule(_roles(Role.ADMIN)),
    # A log-in for a person of the register carries no role beyond his own record.
    "core.create_account": Rule(HR_ADMIN),
    "people.view_organisation": Rule(**MEMBERS_READ),
    "people.change_organisation": Rule(HR_ADMIN),
    "people.view_unit": Rule(**MEMBERS_READ),
    "people.change_unit": Rule(HR_ADMIN),
    "people.view_job": Rule(**MEMBERS_READ),
    "people.change_job": Rule(HR_ADMIN),
    "people.view_workstation": Rule(**MEMBERS_READ),
    "people.change_workstation": Rule(HR_ADMIN),
    "people.list_employees": Rule(VIEW_PEOPLE_ROLES),
    "people.view_employee": Rule(VIEW_PEOPLE_ROLES, own=True),
    "people.change_employee": Rule(HR_ADMIN),
    "people.import_data": Rule(HR_ADMIN),
    "people.export_data": Rule(HR_ADMIN),
    # Aggregates only: consultation bodies never see a person's record.
    "people.view_aggregates": Rule(_roles(Role.CONSULTATION, Role.HR, Role.ADMIN)),
    # Competences (#4): the catalogue is public to members; levels are personal and scoped.
    "competences.view_catalogue": Rule(**MEMBERS_READ),
    "competences.change_catalogue": Rule(HR_ADMIN),
    "competences.view_matrix": Rule(
        _roles(
            Role.HR,
            Role.ADMIN,
            Role.MANAGER,
            Role.COACH,
            Role.INSTRUCTOR,
            Role.PREVENTION_ADVISER,
        )
    ),
    # Only someone with scope over the person sets the official level; nobody his own (service).
    "competences.assess_employee": Rule(
        _roles(Role.HR, Role.ADMIN, Role.MANAGER, Role.COACH, Role.INSTRUCTOR)
    ),
    # Release to work alone is the line manager's decision (ONB-09).
    "competences.release_employee": Rule(_roles(Role.MANAGER, Role.ADMIN)),
    "competences.self_assess": Rule(frozenset(), own=True),
    # Importing a skills matrix records levels across the organisation: HR or an administrator
    # with a grant on the whole organisation (the views check that, as for people imports).
    "competences.import_matrix": Rule(HR_ADMIN),
    # An assessment's evidence file: whoever may see the person's levels, and the person himself.
    "competences.view_evidence": Rule(
        _roles(
            Role.HR,
            Role.ADMIN,
            Role.MANAGER,
            Role.COACH,
            Role.INSTRUCTOR,
            Role.PREVENTION_ADVISER,
        ),
        own=True,
    ),
    # Gaps against requirements and training needs (COMP-05), within the units of the role.
    "competences.view_gaps": Rule(_roles(Role.HR, Role.ADMIN, Role.MANAGER)),
    "competences.manage_needs": Rule(_roles(Role.HR, Role.ADMIN, Role.MANAGER)),
    # Knowledge-retention risk (COMP-06) is aggregate per competence; names only for HR/admin.
    "competences.view_retention": Rule(
        _roles(Role.HR, Role.ADMIN, Role.KNOWLEDGE_MANAGER), scoped=False
    ),
    "competences.view_retention_names": Rule(HR_ADMIN, scoped=False),
    # Transfer plans for knowledge at risk (COMP-06, KNOW-12): HR, administrators and knowledge
    # managers plan for the whole organisation, a line manager for the people of his units (the
    # services and the plan list apply that scope to the holder and the successor).
    "competences.plan_transfer": Rule(
        _roles(Role.HR, Role.ADMIN, Role.KNOWLEDGE_MANAGER, Role.MANAGER), scoped=False
    ),
    # Onboarding (#5). Templates and the approval of the procedure are HR's; an onboarding is
    # seen within the scope of the role, and by the newcomer's guide (rules.is_mentor_of).
    "onboarding.manage_templates": Rule(HR_ADMIN, scoped=False),
    "onboarding.view_onboarding": Rule(
        _roles(Role.HR, Role.ADMIN, Role.MANAGER, Role.PREVENTION_ADVISER)
    ),
    "onboarding.start_onboarding": Rule(_roles(Role.HR, Role.ADMIN, Role.MANAGER)),
    # The employer or a member of the hierarchical line designates the guide (Codex I.2-11).
    "onboarding.designate_guide": Rule(_roles(Role.HR, Role.ADMIN, Role.MANAGER)),
    "onboarding.complete_task": Rule(_roles(Role.HR, Role.ADMIN, Role.MANAGER)),
    # Newcomers without a guide, by unit: for HR and the prevention adviser, who keeps the record.
    "onboarding.view_compliance": Rule(
        _roles(Role.HR, Role.ADMIN, Role.PREVENTION_ADVISER), scoped=False
    ),
    "onboarding.view_own": Rule(frozenset(), own=True),
    # Changing a started plan (tasks, dates), completing or cancelling it.
    "onboarding.manage_onboarding": Rule(_roles(Role.HR, Role.ADMIN, Role.MANAGER)),
    # The legal onthaal record (ONB-04). The prevention adviser keeps the catalogue of safety
    # instructions with HR and adds the prevention service's proposals; the employer (HR) or the
    # hierarchical line signs; the newcomer and his guide confirm each instruction was understood.
    "onboarding.manage_instructions": Rule(
        _roles(Role.HR, Role.ADMIN, Role.PREVENTION_ADVISER), scoped=False
    ),
    "onboarding.record_instruction": Rule(
        _roles(Role.HR, Role.ADMIN, Role.MANAGER, Role.PREVENTION_ADVISER)
    ),
    "onboarding.confirm_instruction": Rule(frozenset(), own=True),
    # HR may enter them too: the proposals often come on paper from the external service.
    "onboarding.add_proposals": Rule(_roles(Role.PREVENTION_ADVISER, Role.HR, Role.ADMIN)),
    "onboarding.sign_document": Rule(_roles(Role.HR, Role.ADMIN, Role.MANAGER)),
    "onboarding.view_register": Rule(
        _roles(Role.HR, Role.ADMIN, Role.PREVENTION_ADVISER), scoped=False
    ),
    # The peter/meter pool (MEN-02..06). HR keeps the criteria and decides; a manager proposes
    # people of his units and confirms their qualities; anyone may volunteer himself.
    "onboarding.view_pool": Rule(_roles(Role.HR, Role.ADMIN, Role.MANAGER)),
    "onboarding.manage_pool": Rule(HR_ADMIN, scoped=False),
    "onboarding.propose_guide": Rule(_roles(Role.HR, Role.ADMIN, Role.MANAGER)),
    # HR may record the qualities a line manager judged (a firm without manager log-ins).
    "onboarding.confirm_qualities": Rule(_roles(Role.MANAGER, Role.HR, Role.ADMIN)),
    "onboarding.volunteer": Rule(frozenset(), own=True),
    # A peter/meter's photo: who sees the pool, the person himself and his newcomers (the view).
    "onboarding.view_guide_photo": Rule(_roles(Role.HR, Role.ADMIN, Role.MANAGER), own=True),
    # Matching peters to newcomers (MEN-04): HR confirms.
    "onboarding.match_guides": Rule(HR_ADMIN, scoped=False),
    # Guidance relationships (MEN-01, MEN-08..11, MEN-15).
    "onboarding.manage_guidance": Rule(_roles(Role.HR, Role.ADMIN, Role.MANAGER)),
    "onboarding.request_coaching": Rule(_roles(Role.HR, Role.ADMIN, Role.MANAGER), own=True),
    # Any experienced colleague may be asked as coach (brochure L475-477): the colleague asked
    # answers his own requests whatever his roles (`own`; views_guidance checks he is the coach
    # asked); coaches, HR and the administrator reach the pages through their role.
    "onboarding.answer_coaching": Rule(
        _roles(Role.COACH, Role.HR, Role.ADMIN), own=True, scoped=False
    ),
    "onboarding.view_caseload": Rule(
        _roles(Role.MENTOR, Role.COACH, Role.INSTRUCTOR, Role.MANAGER, Role.HR, Role.ADMIN),
        scoped=False,
    ),
    "onboarding.manage_programmes": Rule(HR_ADMIN, scoped=False),
    "onboarding.select_instructors": Rule(_roles(Role.HR, Role.ADMIN, Role.MANAGER)),
    # Progress reviews (ONB-06), notebook (ONB-07) and observations (ONB-08).
    "onboarding.view_reviews": Rule(_roles(Role.HR, Role.ADMIN, Role.MANAGER)),
    "onboarding.record_review": Rule(_roles(Role.HR, Role.ADMIN, Role.MANAGER)),
    "onboarding.write_notebook": Rule(frozenset(), own=True),
    # The notebook (and its photos): the newcomer, his guide, and the line within its units.
    "onboarding.view_notebook": Rule(
        _roles(Role.HR, Role.ADMIN, Role.MANAGER, Role.PREVENTION_ADVISER), own=True
    ),
    "onboarding.observe": Rule(
        _roles(Role.MENTOR, Role.COACH, Role.INSTRUCTOR, Role.MANAGER, Role.HR, Role.ADMIN)
    ),
    # Outcome metrics and the satisfaction pulse (ONB-10, MEN-12).
    "onboarding.view_metrics": Rule(HR_ADMIN, scoped=False),
    "onboarding.answer_pulse": Rule(frozenset(), own=True),
    # On-the-job training (#6). The programme and instruction libraries are open to every member
    # (a worker reads the instruction of his workstation); authors write drafts, HR approves a
    # programme, the line (or HR) approves a work instruction.
    "training.view_programmes": Rule(**MEMBERS_READ),
    "training.author_programmes": Rule(_roles(Role.HR, Role.ADMIN, Role.INSTRUCTOR), scoped=False),
    "training.approve_programmes": Rule(HR_ADMIN, scoped=False),
    "training.view_instructions": Rule(**MEMBERS_READ),
    "training.author_instructions": Rule(
        _roles(Role.HR, Role.ADMIN, Role.INSTRUCTOR, Role.KNOWLEDGE_MANAGER, Role.MANAGER),
        scoped=False,
    ),
    "training.approve_instructions": Rule(_roles(Role.HR, Role.ADMIN, Role.MANAGER), scoped=False),
    "training.manage_languages": Rule(HR_ADMIN, scoped=False),
    "training.print_codes": Rule(
        _roles(Role.HR, Role.ADMIN, Role.MANAGER, Role.INSTRUCTOR, Role.PREVENTION_ADVISER),
        scoped=False,
    ),
    # A holder confirms he read a new version; anyone raises a "two versions" signal (OJT-13);
    # the instruction's owner, HR and the line handle them (round table).
    "training.confirm_reading": Rule(frozenset(), own=True),
    "training.raise_signal": Rule(**MEMBERS_READ),
    "training.handle_signals": Rule(
        _roles(Role.HR, Role.ADMIN, Role.MANAGER, Role.INSTRUCTOR, Role.KNOWLEDGE_MANAGER),
        scoped=False,
    ),
    # Machine ranking (OJT-09): production managers score, HR keeps the rounds.
    "training.rank_machines": Rule(_roles(Role.HR, Role.ADMIN, Role.MANAGER), scoped=False),
    "training.manage_rankings": Rule(HR_ADMIN, scoped=False),
    # A learner's programme: seen within the role's units and by his guide (core.rules); the
    # guide plans the modules, teaches and confirms sign-offs; HR revokes with a reason.
    "training.view_assignments": Rule(
        _roles(Role.HR, Role.ADMIN, Role.MANAGER, Role.PREVENTION_ADVISER)
    ),
    "training.assign_programmes": Rule(_roles(Role.HR, Role.ADMIN, Role.MANAGER)),
    "training.guide_learner": Rule(_roles(Role.HR, Role.ADMIN, Role.MANAGER)),
    "training.revoke_signoffs": Rule(HR_ADMIN),
    "training.follow_own": Rule(frozenset(), own=True),
    "training.view_usage": Rule(HR_ADMIN, scoped=False),
    # Tests (TEST-01..08): authors build them; the learner takes his own; an observer scores a
    # practical test; HR decides after the last failed attempt.
    "training.author_tests": Rule(_roles(Role.HR, Role.ADMIN, Role.INSTRUCTOR), scoped=False),
    "training.take_tests": Rule(frozenset(), own=True),
    "training.observe_tests": Rule(_roles(Role.HR, Role.ADMIN, Role.MANAGER, Role.INSTRUCTOR)),
    "training.decide_escalations": Rule(HR_ADMIN),
    # The certificate register (TEST-07): within the role's units, and one's own.
    "training.view_certificates": Rule(
        _roles(Role.HR, Role.ADMIN, Role.MANAGER, Role.PREVENTION_ADVISER), own=True
    ),
    "training.register_certificates": Rule(HR_ADMIN),
    # Learning registration, social balance, training plan, training rights (#7). HR keeps the
    # records and the legal figures; a line manager sees the records and volume of his units;
    # consultation bodies see aggregates only and take part in the plan's consultation.
    "registration.view_activities": Rule(_roles(Role.HR, Role.ADMIN, Role.MANAGER)),
    "registration.manage_activities": Rule(HR_ADMIN, scoped=False),
    "registration.import_activities": Rule(HR_ADMIN, scoped=False),
    "registration.configure": Rule(HR_ADMIN, scoped=False),
    "registration.confirm_drafts": Rule(HR_ADMIN, scoped=False),
    # Quick log (REG-11): a worker logs his own informal learning, his manager confirms it.
    "registration.log_own": Rule(frozenset(), own=True),
    "registration.confirm_logs": Rule(_roles(Role.HR, Role.ADMIN, Role.MANAGER)),
    "registration.view_social_balance": Rule(
        _roles(Role.HR, Role.ADMIN, Role.CONSULTATION), scoped=False
    ),
    "registration.view_sb_records": Rule(HR_ADMIN, scoped=False),
    "registration.close_years": Rule(HR_ADMIN, scoped=False),
    "registration.view_volume": Rule(_roles(Role.HR, Role.ADMIN, Role.MANAGER, Role.CONSULTATION)),
    "registration.view_plan": Rule(
        _roles(Role.HR, Role.ADMIN, Role.MANAGER, Role.CONSULTATION), scoped=False
    ),
    "registration.manage_plan": Rule(HR_ADMIN, scoped=False),
    "registration.consult_plan": Rule(_roles(Role.CONSULTATION, Role.HR, Role.ADMIN), scoped=False),
    "registration.submit_needs": Rule(ALL_ROLES, scoped=False),
    "registration.follow_transfer": Rule(_roles(Role.HR, Role.ADMIN, Role.MANAGER)),
    "registration.view_rights": Rule(_roles(Role.HR, Role.ADMIN, Role.MANAGER)),
    "registration.manage_rights": Rule(HR_ADMIN, scoped=False),
    "registration.view_own_right": Rule(frozenset(), own=True),
    "registration.schedule_sessions": Rule(HR_ADMIN, scoped=False),
    "registration.view_own_sessions": Rule(frozenset(), own=True),
}
