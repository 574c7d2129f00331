"""The registration API: the schedule area (docs/api.md, "Registration")."""

from ninja import Router

router = Router(tags=["registration"])
