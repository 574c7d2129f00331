from leerplek.people import import_views, views

app_name = "people"
urlpatterns = [
    *views.urlpatterns,
    *import_views.urlpatterns,
]
