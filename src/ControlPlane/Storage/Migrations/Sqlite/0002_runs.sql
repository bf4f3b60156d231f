-- Task runs (reports), one case run per case of the task, and the per-second data executors sent.
CREATE TABLE task_runs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant       TEXT    NOT NULL,
    task_id      INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    project_id   INTEGER NOT NULL,
    run_status   INTEGER NOT NULL,
    cluster_type TEXT    NOT NULL,
    cluster_id   INTEGER NOT NULL,
    started_us   INTEGER NOT NULL,
    ended_us     INTEGER NULL,
    doc          TEXT    NOT NULL
);
CREATE INDEX ix_task_runs_task ON task_runs (task_id, id);

CREATE TABLE case_runs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant       TEXT    NOT NULL,
    task_run_id  INTEGER NOT NULL REFERENCES task_runs (id) ON DELETE CASCADE,
    case_id      INTEGER NOT NULL,
    case_name    TEXT    NOT NULL,
    run_status   INTEGER NOT NULL,
    started_us   INTEGER NULL,
    ended_us     INTEGER NULL,
    plan         TEXT    NOT NULL,
    requests     TEXT    NOT NULL,
    error        TEXT    NULL
);
CREATE INDEX ix_case_runs_task_run ON case_runs (task_run_id, id);

CREATE TABLE run_seconds (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    case_run_id  INTEGER NOT NULL REFERENCES case_runs (id) ON DELETE CASCADE,
    executor     TEXT    NOT NULL,
    unix_second  INTEGER NOT NULL,
    stage_index  INTEGER NOT NULL,
    vusers       INTEGER NOT NULL,
    snapshot     BLOB    NOT NULL
);
CREATE INDEX ix_run_seconds_case_run ON run_seconds (case_run_id, unix_second);

CREATE TABLE batches (
    id          TEXT    PRIMARY KEY,
    tenant      TEXT    NOT NULL,
    project_id  INTEGER NOT NULL,
    doc         TEXT    NOT NULL,
    created_us  INTEGER NOT NULL
);
