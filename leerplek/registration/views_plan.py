"""Pages of the registration module: the plan area (filled by its author)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
