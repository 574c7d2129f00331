"""URLs of the registration module: each area's `views_<area>.py` brings its own patterns."""

from leerplek.registration import (
    views,
    views_activities,
    views_contributions,
    views_drafts,
    views_plan,
    views_rights,
    views_sb,
    views_schedule,
    views_volume,
)

app_name = "registration"
urlpatterns = (
    views.urlpatterns
    + views_activities.urlpatterns
    + views_drafts.urlpatterns
    + views_sb.urlpatterns
    + views_contributions.urlpatterns
    + views_volume.urlpatterns
    + views_plan.urlpatterns
    + views_rights.urlpatterns
    + views_schedule.urlpatterns
)
