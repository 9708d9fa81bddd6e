"""Keyword search over `Listing.search_text` (Japanese substrings, no dictionary), and the sort index.

SQLite: an external-content FTS5 table with the trigram tokenizer (the text is stored once, in housing_listing),
kept in sync by triggers on insert, delete and update of `search_text`. PostgreSQL: a pg_trgm GIN index, which
serves `LIKE '%…%'`. Queries shorter than three characters have no trigram: `housing.search.keyword_filter`
falls back to a plain LIKE. Both: indexes for the default sort (updated_at, id), also after kind or prefecture.

A later migration that makes SQLite rebuild housing_listing (Django copies the table) drops the triggers: it
must run SQLITE again (see docs/decisions/20261126-housing-search.md).
"""

from importlib import import_module

from django.db import migrations

# The default sort (most recently updated first), alone and after the commonest equality filters, so the first
# page is read in index order instead of sorting every match (see bench/README.md).
SORT_INDEXES = [
    "CREATE INDEX listing_updated_id ON housing_listing (updated_at DESC, id DESC)",
    "CREATE INDEX listing_kind_updated ON housing_listing (kind, updated_at DESC, id DESC)",
    "CREATE INDEX listing_prefecture_updated ON housing_listing (prefecture_id, updated_at DESC, id DESC)",
    # A map range: the page's ids and the count come from this index alone (no row is read until the page's 20).
    "CREATE INDEX listing_point_sort ON housing_listing (latitude, longitude, status, updated_at, id)",
]
SORT_INDEXES_REVERSE = [
    "DROP INDEX listing_updated_id",
    "DROP INDEX listing_kind_updated",
    "DROP INDEX listing_prefecture_updated",
    "DROP INDEX listing_point_sort",
]

POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX listing_search_text_trgm ON housing_listing USING gin (search_text gin_trgm_ops)",
    *SORT_INDEXES,
]
POSTGRESQL_REVERSE = ["DROP INDEX listing_search_text_trgm", *SORT_INDEXES_REVERSE]

SQLITE = [
    """
    CREATE VIRTUAL TABLE housing_listing_fts USING fts5(
        search_text, content='housing_listing', content_rowid='id', tokenize='trigram'
    )
    """,
    "INSERT INTO housing_listing_fts(housing_listing_fts) VALUES ('rebuild')",
    """
    CREATE TRIGGER housing_listing_fts_insert AFTER INSERT ON housing_listing BEGIN
        INSERT INTO housing_listing_fts(rowid, search_text) VALUES (new.id, new.search_text);
    END
    """,
    """
    CREATE TRIGGER housing_listing_fts_delete AFTER DELETE ON housing_listing BEGIN
        INSERT INTO housing_listing_fts(housing_listing_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
    END
    """,
    """
    CREATE TRIGGER housing_listing_fts_update AFTER UPDATE OF search_text ON housing_listing BEGIN
        INSERT INTO housing_listing_fts(housing_listing_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
        INSERT INTO housing_listing_fts(rowid, search_text) VALUES (new.id, new.search_text);
    END
    """,
    *SORT_INDEXES,
]
SQLITE_REVERSE = [
    "DROP TRIGGER housing_listing_fts_insert",
    "DROP TRIGGER housing_listing_fts_delete",
    "DROP TRIGGER housing_listing_fts_update",
    "DROP TABLE housing_listing_fts",
    *SORT_INDEXES_REVERSE,
]


# The vendor-specific runner of 0002 (a module name starting with a digit is imported this way).
_run = import_module("nikyoten.housing.migrations.0002_booking_no_overlap")._run


class Migration(migrations.Migration):
    dependencies = [("housing", "0002_booking_no_overlap")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
