from leerplek.core import access_views, token_views, views

app_name = "core"
urlpatterns = [
    *views.urlpatterns,
    *token_views.urlpatterns,
    *access_views.urlpatterns,
]
