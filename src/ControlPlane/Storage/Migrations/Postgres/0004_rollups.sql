-- Reports of long runs: the seconds of each case run rolled up into intervals of 1, 10, 60, 600 and 3600 s and the
-- whole run (level 0), so a report reads rows in proportion to the points it draws, not to the run's length.
-- run_seconds stays the record of what executors sent; rolled = 1 once a second is in the rollups.
CREATE TABLE run_rollups (
    case_run_id  BIGINT  NOT NULL REFERENCES case_runs (id) ON DELETE CASCADE,
    level        INTEGER NOT NULL,
    bucket       BIGINT  NOT NULL,
    stats        BYTEA   NOT NULL,
    histograms   BYTEA   NOT NULL,
    PRIMARY KEY (case_run_id, level, bucket)
);

ALTER TABLE run_seconds ADD COLUMN rolled INTEGER NOT NULL DEFAULT 0;
CREATE INDEX ix_run_seconds_unrolled ON run_seconds (case_run_id, id) WHERE rolled = 0;
