"""Import and export of units, functions and people (owned by the import work; see docs/import.md)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
