"""The JSON API (django-ninja) under /api/v1/. Routers live in each app's `api.py`."""

from ninja import NinjaAPI

api = NinjaAPI(title="Leerplek API", version="1", urls_namespace="api")
