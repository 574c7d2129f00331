from leerplek.onboarding import (
    views,
    views_guidance,
    views_matching,
    views_metrics,
    views_plan,
    views_pool,
    views_record,
    views_reviews,
)

app_name = "onboarding"
urlpatterns = (
    views.urlpatterns
    + views_plan.urlpatterns
    + views_record.urlpatterns
    + views_pool.urlpatterns
    + views_matching.urlpatterns
    + views_guidance.urlpatterns
    + views_reviews.urlpatterns
    + views_metrics.urlpatterns
)
