"""The registration API: the plan area (docs/api.md, "Registration")."""

from ninja import Router

router = Router(tags=["registration"])
