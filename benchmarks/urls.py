"""The app's URLs plus the benchmark-only floor views (never part of the app's URLconf)."""

from django.urls import include, path

from benchmarks import floor, onboarding, registration, training

urlpatterns = [
    path("bench/trivial/", floor.trivial, name="bench-trivial"),
    path("bench/floor/people/", floor.people, name="bench-floor-people"),
    path("bench/floor/units/", floor.units, name="bench-floor-units"),
    path("bench/floor/matrix/", floor.matrix, name="bench-floor-matrix"),
    path("bench/floor/gaps/", floor.gaps, name="bench-floor-gaps"),
    path("bench/floor/retention/", floor.retention, name="bench-floor-retention"),
    *onboarding.urlpatterns,
    *training.urlpatterns,
    *registration.urlpatterns,
    path("", include("leerplek.urls")),
]
