"""Versioned schema. Each migration runs once, in order, inside a transaction; the applied
version is kept in ``PRAGMA user_version``. Never edit a released migration: add a new one."""

# Migration 8 here, 2 in the PostgreSQL store (the same SQL in both): a group's origin,
# earliest members and credited sources are index seeks, not a scan of the group (a wire
# story run by hundreds of outlets is one group of hundreds).
LINEAGE_GROUP_INDEXES = """
DROP INDEX lineage_members_group;
CREATE INDEX lineage_members_group_date ON lineage_members(group_id, date);
CREATE INDEX lineage_members_group_origin ON lineage_members(group_id, is_origin);
CREATE INDEX lineage_members_group_credit ON lineage_members(group_id, credited_source);
"""

MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "articles, full-text search, stories", """
CREATE TABLE articles (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,   -- arrival order
    id               TEXT NOT NULL UNIQUE,                -- content-derived, stable
    url              TEXT,
    outlet           TEXT,
    credited_source  TEXT,
    author           TEXT,
    title            TEXT,
    text             TEXT NOT NULL,                       -- cleaned text
    raw_text         TEXT NOT NULL,                       -- text before cleaning (edit offsets)
    raw              TEXT NOT NULL,                       -- input as received
    raw_format       TEXT NOT NULL,
    origin           TEXT NOT NULL,
    date             TEXT,
    date_source      TEXT,
    date_confidence  REAL,
    lang             TEXT,
    version          INTEGER NOT NULL DEFAULT 1,
    supersedes       TEXT,
    latest           INTEGER NOT NULL DEFAULT 1,          -- 0 once a newer version exists
    metadata         TEXT NOT NULL DEFAULT '{}',          -- JSON
    edits            TEXT NOT NULL DEFAULT '[]',          -- JSON: the cleaner's audit trail
    ingested_at      TEXT NOT NULL
);
CREATE INDEX articles_url ON articles(url);
CREATE INDEX articles_date ON articles(date);
CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='seq');
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
END;
CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
END;
CREATE TABLE stories (
    id     TEXT PRIMARY KEY,
    title  TEXT NOT NULL
);
CREATE TABLE story_articles (
    article_id  TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    story_id    TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    lineage_id  TEXT,
    is_origin   INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX story_articles_story ON story_articles(story_id);
"""),
    (2, "full-text vocabulary (corpus evidence for the cleaner)", """
CREATE VIRTUAL TABLE articles_vocab USING fts5vocab(articles_fts, 'row');
"""),
    (3, "analysis (sentences, entities, quotes, numbers, times) and canonical entities", """
ALTER TABLE articles ADD COLUMN analysis TEXT;
CREATE TABLE entities (
    id       TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    label    TEXT NOT NULL,
    aliases  TEXT NOT NULL DEFAULT '[]'           -- JSON list of every name seen
);
CREATE TABLE entity_names (                      -- lookup: folded names, first and last words
    entity_id   TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    name_key    TEXT NOT NULL,
    last_token  TEXT NOT NULL,
    first_token TEXT NOT NULL DEFAULT ''
);
CREATE INDEX entity_names_key ON entity_names(name_key);
CREATE INDEX entity_names_last ON entity_names(last_token);
CREATE INDEX entity_names_first ON entity_names(first_token);
CREATE TABLE article_entities (
    article_id  TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    local_key   TEXT NOT NULL,
    entity_id   TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, local_key)
);
CREATE INDEX article_entities_entity ON article_entities(entity_id);
"""),
    (4, "incremental stories: lineage band keys and groups, saved stage state", """
CREATE TABLE lineage_members (                   -- one row per article seen by lineage
    article_id       TEXT PRIMARY KEY,
    group_id         TEXT NOT NULL,              -- the id of the group's first article
    arrival          INTEGER NOT NULL,
    date             TEXT,
    outlet           TEXT,
    credited_source  TEXT,
    length           INTEGER NOT NULL,
    is_origin        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX lineage_members_group ON lineage_members(group_id);
CREATE TABLE lineage_bands (                     -- MinHash LSH: one key per band per article
    band        INTEGER NOT NULL,
    key         INTEGER NOT NULL,
    article_id  TEXT NOT NULL
);
CREATE INDEX lineage_bands_key ON lineage_bands(band, key);
CREATE TABLE stage_state (                       -- a stage's saved state (zlib-compressed JSON)
    name   TEXT PRIMARY KEY,
    value  BLOB NOT NULL
);
"""),
    (5, "how often each name of an entity is used (its shown name is the most frequent)", """
ALTER TABLE entities ADD COLUMN alias_counts TEXT NOT NULL DEFAULT '{}';  -- JSON: alias -> articles
"""),
    (6, "story listing as a query: each story's size, sources, dates and outlets kept on its row", """
-- size NULL: not computed yet (filled when the store opens); sources: independent voices;
-- outlets: the outlet names, one per line
ALTER TABLE stories ADD COLUMN size INTEGER;
ALTER TABLE stories ADD COLUMN sources INTEGER;
ALTER TABLE stories ADD COLUMN first_date TEXT;
ALTER TABLE stories ADD COLUMN last_date TEXT;
ALTER TABLE stories ADD COLUMN outlets TEXT;
CREATE INDEX stories_recent ON stories(last_date, size, id);
CREATE INDEX stories_size ON stories(size, sources, id);
CREATE INDEX stories_sources ON stories(sources, size, id);
"""),
    (7, "saved story reports (the comparison of a story, kept while its members do not change)", """
-- key: a hash of the story's members, their lineage and the settings the report was made
-- with; report: zlib-compressed JSON
CREATE TABLE story_reports (
    story_id  TEXT PRIMARY KEY,
    key       TEXT NOT NULL,
    report    BLOB NOT NULL
);
"""),
    (8, "lineage indexes for large groups", LINEAGE_GROUP_INDEXES),
]

LATEST = MIGRATIONS[-1][0]
