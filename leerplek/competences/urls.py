from leerplek.competences import (
    catalogue_views,
    coverage_views,
    evidence_views,
    gap_views,
    matrix_export_views,
    matrix_import_views,
    transfer_views,
    views,
)

app_name = "competences"
urlpatterns = [
    *views.urlpatterns,
    *catalogue_views.urlpatterns,
    *coverage_views.urlpatterns,
    *transfer_views.urlpatterns,
    *matrix_export_views.urlpatterns,
    *gap_views.urlpatterns,
    *evidence_views.urlpatterns,
    *matrix_import_views.urlpatterns,
]
