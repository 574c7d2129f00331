
from leerplek.core import token_views, views

app_name = "core"
urlpatterns = [
    *views.urlpatterns,
    *token_views.urlpatterns,
]
