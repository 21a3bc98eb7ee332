"""Versioned schema of the PostgreSQL store. Each migration runs once, in order, in one
transaction under an advisory lock (two processes opening a new database do not race); the
applied version is kept in ``parallax_schema``. Never edit a released migration: add one.

Version 1 is the SQLite store's migrations 1-7 at once, with the same tables and columns (so
``parallax migrate`` copies table by table). Differences: identifiers collate as "C" (byte
order, as in SQLite), full-text search is a stored ``tsvector`` (the 'simple' configuration:
no stemming, no stop words, as SQLite's FTS5 unicode61) with a GIN index, and
``parallax_changes`` is a sequence that writers advance after each commit (the store's
``data_version``)."""

from .migrations import LINEAGE_GROUP_INDEXES

MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "the SQLite store's schema 1-7: articles, full-text search, stories, entities, lineage, "
        "stage state, saved reports", """
CREATE TABLE articles (
    seq              BIGSERIAL PRIMARY KEY,             -- arrival order
    id               TEXT COLLATE "C" NOT NULL UNIQUE,  -- content-derived, stable
    url              TEXT,
    outlet           TEXT,
    credited_source  TEXT,
    author           TEXT,
    title            TEXT,
    text             TEXT NOT NULL,
    raw_text         TEXT NOT NULL,
    raw              TEXT NOT NULL,
    raw_format       TEXT NOT NULL,
    origin           TEXT NOT NULL,
    date             TEXT,
    date_source      TEXT,
    date_confidence  DOUBLE PRECISION,
    lang             TEXT,
    version          INTEGER NOT NULL DEFAULT 1,
    supersedes       TEXT COLLATE "C",
    latest           INTEGER NOT NULL DEFAULT 1,
    metadata         TEXT NOT NULL DEFAULT '{}',
    edits            TEXT NOT NULL DEFAULT '[]',
    ingested_at      TEXT NOT NULL,
    analysis         TEXT,
    -- the first 250,000 characters: a tsvector holds at most 1 MB
    tsv              tsvector GENERATED ALWAYS AS
                     (to_tsvector('simple', left(coalesce(title, '') || ' ' || text, 250000))) STORED
);
CREATE INDEX articles_url ON articles(url);
CREATE INDEX articles_date ON articles(date);
CREATE INDEX articles_tsv ON articles USING GIN (tsv);
CREATE TABLE stories (
    id          TEXT COLLATE "C" PRIMARY KEY,
    title       TEXT NOT NULL,
    size        INTEGER,
    sources     INTEGER,
    first_date  TEXT,
    last_date   TEXT,
    outlets     TEXT
);
CREATE INDEX stories_recent ON stories(last_date DESC NULLS LAST, size DESC, id DESC);
CREATE INDEX stories_size ON stories(size, sources, id);
CREATE INDEX stories_sources ON stories(sources, size, id);
CREATE TABLE story_articles (
    article_id  TEXT COLLATE "C" PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    story_id    TEXT COLLATE "C" NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    lineage_id  TEXT COLLATE "C",
    is_origin   INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX story_articles_story ON story_articles(story_id);
CREATE TABLE entities (
    id            TEXT COLLATE "C" PRIMARY KEY,
    name          TEXT NOT NULL,
    label         TEXT NOT NULL,
    aliases       TEXT NOT NULL DEFAULT '[]',
    alias_counts  TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE entity_names (
    entity_id   TEXT COLLATE "C" NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    name_key    TEXT NOT NULL,
    last_token  TEXT NOT NULL,
    first_token TEXT NOT NULL DEFAULT ''
);
CREATE INDEX entity_names_entity ON entity_names(entity_id);
CREATE INDEX entity_names_key ON entity_names(name_key);
CREATE INDEX entity_names_last ON entity_names(last_token);
CREATE INDEX entity_names_first ON entity_names(first_token);
CREATE TABLE article_entities (
    article_id  TEXT COLLATE "C" NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    local_key   TEXT NOT NULL,
    entity_id   TEXT COLLATE "C" NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, local_key)
);
CREATE INDEX article_entities_entity ON article_entities(entity_id);
CREATE TABLE lineage_members (
    article_id       TEXT COLLATE "C" PRIMARY KEY,
    group_id         TEXT COLLATE "C" NOT NULL,
    arrival          BIGINT NOT NULL,
    date             TEXT,
    outlet           TEXT,
    credited_source  TEXT,
    length           INTEGER NOT NULL,
    is_origin        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX lineage_members_group ON lineage_members(group_id);
CREATE TABLE lineage_bands (
    band        INTEGER NOT NULL,
    key         BIGINT NOT NULL,
    article_id  TEXT COLLATE "C" NOT NULL
);
CREATE INDEX lineage_bands_key ON lineage_bands(band, key);
CREATE TABLE stage_state (
    name   TEXT PRIMARY KEY,
    value  BYTEA NOT NULL
);
CREATE TABLE story_reports (
    story_id  TEXT COLLATE "C" PRIMARY KEY,
    key       TEXT NOT NULL,
    report    BYTEA NOT NULL
);
CREATE SEQUENCE parallax_changes;
"""),
    (2, "the SQLite store's schema 8: lineage indexes for large groups", LINEAGE_GROUP_INDEXES),
]

LATEST = MIGRATIONS[-1][0]
