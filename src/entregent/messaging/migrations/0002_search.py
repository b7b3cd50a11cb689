"""The index behind messaging search (messaging/search.py says how it is used).

SQLite: a contentless FTS5 table over each message's conversation id and search_text (word tokens,
accents removed), holding exactly the messages with text, kept in step by three triggers on
messaging_message. Contentless: it stores no copy of the text, and each trigger removes exactly what
it put in (never use FTS5's 'rebuild' on it).

PostgreSQL: the pg_trgm extension, a trigram GIN index on messaging_message.search_text, and
messaging_search_word — every distinct word of 3 to 40 characters ever written, added by a trigger —
in which a query's possible typos are looked up.

Other databases get nothing (search scans the member's messages). bench/messaging.py reuses these
statements when it loads messages in bulk."""

from django.db import migrations

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS messaging_message_fts USING fts5(conversation_id, search_text, "
    "content='', tokenize='unicode61 remove_diacritics 2', detail='column', prefix='3')",
    """CREATE TRIGGER IF NOT EXISTS messaging_message_fts_insert AFTER INSERT ON messaging_message
    WHEN new.search_text <> '' BEGIN
      INSERT INTO messaging_message_fts (rowid, conversation_id, search_text)
      VALUES (new.id, new.conversation_id, new.search_text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS messaging_message_fts_update
    AFTER UPDATE OF search_text, conversation_id ON messaging_message BEGIN
      INSERT INTO messaging_message_fts (messaging_message_fts, rowid, conversation_id, search_text)
      SELECT 'delete', old.id, old.conversation_id, old.search_text WHERE old.search_text <> '';
      INSERT INTO messaging_message_fts (rowid, conversation_id, search_text)
      SELECT new.id, new.conversation_id, new.search_text WHERE new.search_text <> '';
    END""",
    """CREATE TRIGGER IF NOT EXISTS messaging_message_fts_delete AFTER DELETE ON messaging_message
    WHEN old.search_text <> '' BEGIN
      INSERT INTO messaging_message_fts (messaging_message_fts, rowid, conversation_id, search_text)
      VALUES ('delete', old.id, old.conversation_id, old.search_text);
    END""",
]
SQLITE_FILL = (
    "INSERT INTO messaging_message_fts (rowid, conversation_id, search_text) "
    "SELECT id, conversation_id, search_text FROM messaging_message WHERE search_text <> ''"
)
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS messaging_message_fts_insert",
    "DROP TRIGGER IF EXISTS messaging_message_fts_update",
    "DROP TRIGGER IF EXISTS messaging_message_fts_delete",
    "DROP TABLE IF EXISTS messaging_message_fts",
]

POSTGRES_CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS messaging_message_search_trgm ON messaging_message "
    "USING gin (search_text gin_trgm_ops)",
    "CREATE TABLE IF NOT EXISTS messaging_search_word (word text PRIMARY KEY)",
    # Words in sorted order, so that two transactions adding the same new words never deadlock.
    """CREATE OR REPLACE FUNCTION messaging_search_word_add() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.search_text <> '' THEN
        INSERT INTO messaging_search_word (word)
        SELECT DISTINCT w FROM regexp_split_to_table(NEW.search_text, '[^[:alnum:]]+') AS w
        WHERE length(w) BETWEEN 3 AND 40 ORDER BY w
        ON CONFLICT DO NOTHING;
      END IF;
      RETURN NULL;
    END $$""",
    "DROP TRIGGER IF EXISTS messaging_message_search_word ON messaging_message",
    "CREATE TRIGGER messaging_message_search_word AFTER INSERT OR UPDATE OF search_text "
    "ON messaging_message FOR EACH ROW EXECUTE FUNCTION messaging_search_word_add()",
]
POSTGRES_FILL = (
    "INSERT INTO messaging_search_word (word) SELECT DISTINCT w FROM messaging_message, "
    "regexp_split_to_table(search_text, '[^[:alnum:]]+') AS w "
    "WHERE search_text <> '' AND length(w) BETWEEN 3 AND 40 ON CONFLICT DO NOTHING"
)
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS messaging_message_search_word ON messaging_message",
    "DROP FUNCTION IF EXISTS messaging_search_word_add()",
    "DROP TABLE IF EXISTS messaging_search_word",
    "DROP INDEX IF EXISTS messaging_message_search_trgm",
]


def create(apps, schema_editor, *, fill: bool = True) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = SQLITE_CREATE + ([SQLITE_FILL] if fill else [])
    elif vendor == "postgresql":
        statements = POSTGRES_CREATE + ([POSTGRES_FILL] if fill else [])
    else:
        statements = []
    for statement in statements:
        schema_editor.execute(statement, params=None)


def drop(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(vendor, []):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("messaging", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
