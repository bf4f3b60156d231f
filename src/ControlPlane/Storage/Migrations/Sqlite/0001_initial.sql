-- Every row carries the IAM project id (tenant) it was created under; every query filters on it.
-- JSON documents (doc) hold what the client sent, unknown fields included, as text.
CREATE TABLE projects (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant      TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    source      INTEGER NOT NULL DEFAULT 0,
    doc         TEXT    NOT NULL,
    created_us  INTEGER NOT NULL,
    updated_us  INTEGER NOT NULL
);
CREATE INDEX ix_projects_tenant ON projects (tenant, id);

CREATE TABLE directories (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant      TEXT    NOT NULL,
    project_id  INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    parent_id   INTEGER NOT NULL DEFAULT 0,
    name        TEXT    NOT NULL,
    doc         TEXT    NOT NULL,
    created_us  INTEGER NOT NULL,
    updated_us  INTEGER NOT NULL
);
CREATE INDEX ix_directories_project ON directories (project_id, id);

CREATE TABLE tasks (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant      TEXT    NOT NULL,
    project_id  INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    edition     INTEGER NOT NULL,
    run_status  INTEGER NOT NULL DEFAULT 9,
    doc         TEXT    NOT NULL,
    created_us  INTEGER NOT NULL,
    updated_us  INTEGER NOT NULL
);
CREATE INDEX ix_tasks_project ON tasks (project_id, id);

CREATE TABLE cases (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant       TEXT    NOT NULL,
    project_id   INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    task_id      INTEGER NULL REFERENCES tasks (id) ON DELETE CASCADE,
    directory_id INTEGER NULL REFERENCES directories (id),
    name         TEXT    NOT NULL,
    sort         INTEGER NOT NULL DEFAULT 0,
    doc          TEXT    NOT NULL,
    created_us   INTEGER NOT NULL,
    updated_us   INTEGER NOT NULL
);
CREATE INDEX ix_cases_project ON cases (project_id, id);
CREATE INDEX ix_cases_task ON cases (task_id, sort, id);
CREATE INDEX ix_cases_directory ON cases (directory_id);

-- New-edition tasks (v3) refer to project-level cases instead of owning them.
CREATE TABLE task_cases (
    task_id  INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    case_id  INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    PRIMARY KEY (task_id, case_id)
);
CREATE INDEX ix_task_cases_case ON task_cases (case_id);

CREATE TABLE variables (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant        TEXT    NOT NULL,
    project_id    INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    variable_type INTEGER NOT NULL,
    doc           TEXT    NOT NULL,
    created_us    INTEGER NOT NULL,
    updated_us    INTEGER NOT NULL,
    UNIQUE (project_id, name)
);

CREATE TABLE templates (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant      TEXT    NOT NULL,
    project_id  INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    doc         TEXT    NOT NULL,
    created_us  INTEGER NOT NULL,
    updated_us  INTEGER NOT NULL
);
CREATE INDEX ix_templates_project ON templates (project_id, id);
