"""The registration API: the sb area (docs/api.md, "Registration")."""

from ninja import Router

router = Router(tags=["registration"])
