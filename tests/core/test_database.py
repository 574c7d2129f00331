"""Database-level guarantees: the append-only audit log on PostgreSQL, WAL mode on SQLite."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from leerplek.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.mark.postgres
def test_postgres_trigger_refuses_update_and_delete_of_audit_rows() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: runs in `make test-pg` (and always in CI)")
    entry = AuditEntry.objects.create(action="test.written")
    for statement in (
        "UPDATE core_auditentry SET action = 'tampered' WHERE id = %s",
        "DELETE FROM core_auditentry WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [entry.pk])
    entry.refresh_from_db()
    assert entry.action == "test.written"


def test_sqlite_model_refuses_changes_to_audit_rows() -> None:
    entry = AuditEntry.objects.create(action="test.written")
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="tampered")
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).delete()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: object) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    import sqlite3

    from django.conf import settings

    # The test database is in memory (no WAL there); check the pragma on a file database
    # opened with the same init command as the app's.
    init = settings.DATABASES["default"]["OPTIONS"]["init_command"]
    db = sqlite3.connect(str(tmp_path) + "/check.sqlite3")  # type: ignore[operator]
    db.executescript(init)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
