-- One schema for SQLite and PostgreSQL: times are epoch milliseconds (BIGINT) and ids are text,
-- so the same SQL text serves both stores. Dialect-only changes go under db/migration/<dialect>/.
CREATE TABLE users (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    is_admin   SMALLINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

CREATE TABLE api_keys (
    key_hash   TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key_prefix TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX api_keys_user ON api_keys (user_id);

-- last_seq and message_count make an append O(1): no MAX(seq) or COUNT(*) over the history.
-- active_turn/turn_until are the turn lease that serializes turns on one conversation, across instances.
CREATE TABLE conversations (
    id            TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title         TEXT NOT NULL,
    model         TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    last_seq      BIGINT NOT NULL DEFAULT 0,
    message_count BIGINT NOT NULL DEFAULT 0,
    active_turn   TEXT,
    turn_until    BIGINT
);
-- The sidebar's keyset page: WHERE user_id = ? AND (updated_at, id) < (?, ?) ORDER BY updated_at DESC, id DESC.
CREATE INDEX conversations_user_recent ON conversations (user_id, updated_at DESC, id DESC);
CREATE INDEX conversations_active_turn ON conversations (turn_until) WHERE active_turn IS NOT NULL;

CREATE TABLE messages (
    id              TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    seq             BIGINT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
    content         TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('complete', 'streaming', 'stopped', 'failed')),
    model           TEXT,
    input_tokens    INTEGER,
    output_tokens   INTEGER,
    created_at      BIGINT NOT NULL,
    completed_at    BIGINT,
    first_token_ms  INTEGER,
    duration_ms     INTEGER,
    error_code      TEXT,
    -- Every history read is a range of this index, in either direction.
    CONSTRAINT messages_conversation_seq UNIQUE (conversation_id, seq)
);
CREATE INDEX messages_streaming ON messages (conversation_id) WHERE status = 'streaming';

CREATE TABLE feedback (
    message_id TEXT PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    rating     SMALLINT NOT NULL CHECK (rating IN (-1, 1)),
    comment    TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX feedback_updated ON feedback (updated_at);
