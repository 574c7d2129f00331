"""Logging in: Django's email-and-password check, without Django's model permissions.

What a user may do comes only from the permission table (`core/permissions.py`, through the rules
backend). Django's ModelBackend would also be asked whenever a rule says no, and then load the
user's model and group permissions: two queries on nearly every page, for permissions we never
grant. An active superuser still passes every check in the admin (Django answers that before
asking any backend).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend


class AccountBackend(ModelBackend):
    def get_user_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return False

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return False
