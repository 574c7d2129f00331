"""The registration API: activities with participants and cost lines, drafts and quick logs,
the social-balance figures, training needs and plan lines, training rights and scheduled
sessions (docs/api.md, "Registration"). Each area brings its own router."""

from ninja import Router

from leerplek.registration import (
    api_activities,
    api_core,
    api_drafts,
    api_plan,
    api_rights,
    api_sb,
    api_schedule,
    api_volume,
)

router = Router()
for area in (
    api_core,
    api_activities,
    api_drafts,
    api_sb,
    api_volume,
    api_plan,
    api_rights,
    api_schedule,
):
    router.add_router("/", area.router)
