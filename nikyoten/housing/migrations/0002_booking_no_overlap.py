"""No two confirmed bookings of a unit overlap, enforced by the database itself.

PostgreSQL: an exclusion constraint on (unit, daterange[start, end)) for confirmed rows (btree_gist for the
equality on the unit). SQLite: triggers that abort an insert or update making a confirmed booking overlap
another; writers are serialised (`transaction_mode = IMMEDIATE`), so the check and the write are atomic.
"""

from django.db import migrations

POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """
    ALTER TABLE housing_booking ADD CONSTRAINT booking_no_overlapping_confirmed
    EXCLUDE USING gist (unit_id WITH =, daterange(start_date, end_date, '[)') WITH &&)
    WHERE (status = 'confirmed')
    """,
]
POSTGRESQL_REVERSE = ["ALTER TABLE housing_booking DROP CONSTRAINT booking_no_overlapping_confirmed"]

_SQLITE_CHECK = """
    WHEN NEW.status = 'confirmed' AND EXISTS (
        SELECT 1 FROM housing_booking AS other
        WHERE other.unit_id = NEW.unit_id AND other.status = 'confirmed' AND other.id != NEW.id
          AND other.start_date < NEW.end_date AND other.end_date > NEW.start_date
    )
    BEGIN
        SELECT RAISE(ABORT, 'booking_no_overlapping_confirmed');
    END
"""
SQLITE = [
    f"CREATE TRIGGER booking_no_overlapping_confirmed_insert BEFORE INSERT ON housing_booking {_SQLITE_CHECK}",
    f"CREATE TRIGGER booking_no_overlapping_confirmed_update BEFORE UPDATE ON housing_booking {_SQLITE_CHECK}",
]
SQLITE_REVERSE = [
    "DROP TRIGGER booking_no_overlapping_confirmed_insert",
    "DROP TRIGGER booking_no_overlapping_confirmed_update",
]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for statement in statements[schema_editor.connection.vendor]:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("housing", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
