"""URLs of the training module: each area's `views_<area>.py` brings its own patterns."""

from leerplek.training import (
    views_certificates,
    views_instructions,
    views_learning,
    views_leittext,
    views_programmes,
    views_ranking,
    views_station,
    views_tests,
)

app_name = "training"
urlpatterns = (
    views_programmes.urlpatterns
    + views_instructions.urlpatterns
    + views_station.urlpatterns
    + views_learning.urlpatterns
    + views_leittext.urlpatterns
    + views_ranking.urlpatterns
    + views_tests.urlpatterns
    + views_certificates.urlpatterns
)
