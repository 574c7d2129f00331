"""The registration API: the drafts area (docs/api.md, "Registration")."""

from ninja import Router

router = Router(tags=["registration"])
