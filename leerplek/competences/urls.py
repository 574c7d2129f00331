from leerplek.competences import gap_views, matrix_export_views, views

app_name = "competences"
urlpatterns = [*views.urlpatterns, *matrix_export_views.urlpatterns, *gap_views.urlpatterns]
