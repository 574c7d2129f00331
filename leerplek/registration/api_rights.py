"""The registration API: the rights area (docs/api.md, "Registration")."""

from ninja import Router

router = Router(tags=["registration"])
