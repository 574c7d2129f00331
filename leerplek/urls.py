"""Leerplek's URLs. Each app has its own namespace; the JSON API lives under /api/v1/."""

from django.contrib import admin
from django.urls import include, path

from leerplek.api import api
from leerplek.core.views import login_view, logout_view

urlpatterns = [
    path("", include("leerplek.core.urls")),
    path("login/", login_view, name="login"),
    path("logout/", logout_view, name="logout"),
    path("people/", include("leerplek.people.urls")),
    path("competences/", include("leerplek.competences.urls")),
    path("onboarding/", include("leerplek.onboarding.urls")),
    path("training/", include("leerplek.training.urls")),
    path("registration/", include("leerplek.registration.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
