"""The registration API: the activities area (docs/api.md, "Registration")."""

from ninja import Router

router = Router(tags=["registration"])
