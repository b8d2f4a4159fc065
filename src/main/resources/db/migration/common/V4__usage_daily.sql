-- Usage rollups, maintained incrementally as turns end (one upsert per turn), so usage
-- reports read these rows and never scan messages. Day is the UTC date as yyyy-mm-dd.
CREATE TABLE usage_daily (
    day            TEXT NOT NULL,
    user_id        TEXT NOT NULL,
    model          TEXT NOT NULL,
    requests       BIGINT NOT NULL DEFAULT 0,
    errors         BIGINT NOT NULL DEFAULT 0,
    input_tokens   BIGINT NOT NULL DEFAULT 0,
    output_tokens  BIGINT NOT NULL DEFAULT 0,
    cost_micros    BIGINT NOT NULL DEFAULT 0,
    latency_ms_sum BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, user_id, model)
);
CREATE INDEX usage_daily_model ON usage_daily (model, day);
