"""The registration API: the volume area (docs/api.md, "Registration")."""

from ninja import Router

router = Router(tags=["registration"])
