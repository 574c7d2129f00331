"""Request types for views that need a logged-in user with loaded access."""

from __future__ import annotations

from django.http import HttpRequest

from leerplek.core.access import Access
from leerplek.people.models import Organisation, User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
    access: Access


class OrganisationHttpRequest(AuthenticatedHttpRequest):
    """A request whose user belongs to the current organisation (see `core.decorators`)."""

    organisation: Organisation
