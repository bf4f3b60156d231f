-- Runs that survive: which control plane owns each active run (a lease it renews), stops asked from any replica,
-- the executors of private groups (shared by every replica), the changes of a running group, and one stored copy of
-- each second an executor sent (its sequence: a replay after a re-attach is not stored twice).
ALTER TABLE task_runs ADD COLUMN owner TEXT NULL;
ALTER TABLE task_runs ADD COLUMN lease_until_us INTEGER NULL;
ALTER TABLE task_runs ADD COLUMN stop_requested INTEGER NOT NULL DEFAULT 0;

ALTER TABLE run_seconds ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX ux_run_seconds_sequence ON run_seconds (case_run_id, executor, sequence) WHERE sequence > 0;

CREATE TABLE executors (
    id            TEXT    PRIMARY KEY,
    address       TEXT    NOT NULL,
    cluster_id    INTEGER NOT NULL,
    last_seen_us  INTEGER NOT NULL,
    running       TEXT    NOT NULL DEFAULT '',
    left_us       INTEGER NULL
);
CREATE INDEX ix_executors_cluster ON executors (cluster_id);

-- change: started (a member from the start), joined, lost, drained, finished (its plan ran to its end).
CREATE TABLE group_changes (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    case_run_id  INTEGER NOT NULL REFERENCES case_runs (id) ON DELETE CASCADE,
    unix_ms      INTEGER NOT NULL,
    executor     TEXT    NOT NULL,
    change       TEXT    NOT NULL,
    detail       TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX ix_group_changes_case_run ON group_changes (case_run_id, id);
