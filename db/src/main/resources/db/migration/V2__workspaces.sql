-- Berth schema, part 2: the environment catalogue, workspaces, their event timeline and the durable job queue.
-- The lifecycle engine (provisioning/) owns these tables; it knows nothing of LTI, so a workspace names its
-- owner and scope with opaque references (lti-tool passes its person and course ids).

-- The catalogue. Admins edit it; migrations seed it. A local_command is an argv template as a JSON array of
-- strings (never run through a shell) with the placeholders {port}, {base_path} and {home}.
CREATE TABLE environment (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key                   text        NOT NULL UNIQUE CHECK (key ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    name                  text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description           text        NOT NULL DEFAULT '',
    -- 'terminal' is served by Berth itself; 'process' runs local_command (local) or image (containers).
    kind                  text        NOT NULL CHECK (kind IN ('terminal', 'process')),
    -- NULL means "built in" (the terminal) or "not available on the local backend".
    local_command         jsonb       CHECK (local_command IS NULL OR jsonb_typeof(local_command) = 'array'),
    image                 text,
    port                  int         NOT NULL DEFAULT 8888 CHECK (port BETWEEN 1 AND 65535),
    -- 'keep': the IDE serves under /ws/{id}/ itself; 'strip': the gateway removes the prefix.
    base_path_mode        text        NOT NULL DEFAULT 'strip' CHECK (base_path_mode IN ('keep', 'strip')),
    -- May contain {base_path}; probed with HTTP GET until it answers 2xx.
    health_path           text        NOT NULL DEFAULT '/',
    cpu_millis            int         NOT NULL DEFAULT 1000 CHECK (cpu_millis > 0),
    memory_mib            int         NOT NULL DEFAULT 2048 CHECK (memory_mib > 0),
    idle_timeout_seconds  int         NOT NULL DEFAULT 3600 CHECK (idle_timeout_seconds > 0),
    -- How long a start may take before the workspace is FAILED with "never became healthy".
    start_timeout_seconds int         NOT NULL DEFAULT 120 CHECK (start_timeout_seconds > 0),
    env                   jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(env) = 'object'),
    enabled               boolean     NOT NULL DEFAULT true,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now()
);

INSERT INTO environment (key, name, description, kind, local_command, image, port, base_path_mode, health_path,
                         cpu_millis, memory_mib, idle_timeout_seconds)
VALUES
    ('terminal', 'Terminal', 'A shell in the browser, served by Berth. Needs nothing but a shell.',
     'terminal', NULL, NULL, 8080, 'strip', '/', 500, 512, 1800),
    ('jupyter', 'Jupyter', 'Jupyter Notebook / JupyterLab with a Python kernel.',
     'process',
     '["jupyter", "lab", "--ip=127.0.0.1", "--port={port}", "--no-browser", "--ServerApp.base_url={base_path}", "--ServerApp.token=", "--ServerApp.password=", "--ServerApp.root_dir={home}"]',
     'quay.io/jupyter/minimal-notebook:latest', 8888, 'keep', '{base_path}api/status', 1000, 2048, 3600),
    ('code-server', 'VS Code (code-server)', 'Visual Studio Code in the browser.',
     'process',
     '["code-server", "--bind-addr", "127.0.0.1:{port}", "--auth", "none", "--disable-telemetry", "{home}"]',
     'codercom/code-server:latest', 8080, 'strip', '/healthz', 1000, 2048, 3600),
    ('rstudio', 'RStudio Server', 'RStudio in the browser (needs rserver installed).',
     'process',
     '["rserver", "--www-port", "{port}", "--www-address", "127.0.0.1", "--server-daemonize", "0"]',
     'rocker/rstudio:latest', 8787, 'strip', '/', 1000, 2048, 3600);

CREATE TABLE workspace (
    id                    uuid        PRIMARY KEY,
    -- Opaque to the engine: who owns it and in which scope (lti-tool: person id and course id).
    owner_ref             text        NOT NULL CHECK (length(owner_ref) BETWEEN 1 AND 200),
    scope_ref             text        NOT NULL CHECK (length(scope_ref) BETWEEN 1 AND 200),
    environment_id        bigint      NOT NULL REFERENCES environment (id),
    desired_state         text        NOT NULL CHECK (desired_state IN ('RUNNING', 'STOPPED', 'DELETED')),
    state                 text        NOT NULL CHECK (state IN ('PROVISIONING', 'STARTING', 'RUNNING', 'STOPPING',
                                                               'STOPPED', 'FAILED', 'DELETING', 'DELETED')),
    state_changed_at      timestamptz NOT NULL,
    -- A restart asked while RUNNING: the runner stops, clears this, then starts again.
    restart_pending       boolean     NOT NULL DEFAULT false,
    -- Asked with a delete ("reset"): destroy the home too. Kept otherwise.
    wipe_home             boolean     NOT NULL DEFAULT false,
    backend               text        NOT NULL,
    -- What the backend created, as it reported it (never re-derived: docs/architecture.md).
    backend_refs          jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(backend_refs) = 'object'),
    endpoint              text,
    last_activity_at      timestamptz NOT NULL,
    failure               text,
    version               int         NOT NULL DEFAULT 0,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL,
    CONSTRAINT workspace_owner_scope_env_uq UNIQUE (owner_ref, scope_ref, environment_id)
);
CREATE INDEX workspace_scope_idx ON workspace (scope_ref);
CREATE INDEX workspace_running_idx ON workspace (last_activity_at) WHERE state = 'RUNNING';

CREATE TABLE workspace_event (
    id            bigserial   PRIMARY KEY,
    workspace_id  uuid        NOT NULL REFERENCES workspace (id) ON DELETE CASCADE,
    at            timestamptz NOT NULL,
    -- 'requested', 'state', 'step', 'waiting', 'error', 'reconciled'
    kind          text        NOT NULL,
    state         text        NOT NULL,
    message       text        NOT NULL,
    details       jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX workspace_event_ws_idx ON workspace_event (workspace_id, id);

-- The durable queue. Status is derived from timestamps (finished_at, heartbeat_at), not stored twice.
CREATE TABLE job (
    id            bigserial   PRIMARY KEY,
    workspace_id  uuid        NOT NULL REFERENCES workspace (id) ON DELETE CASCADE,
    kind          text        NOT NULL DEFAULT 'converge',
    created_at    timestamptz NOT NULL,
    run_after     timestamptz NOT NULL,
    attempts      int         NOT NULL DEFAULT 0,
    max_attempts  int         NOT NULL DEFAULT 5 CHECK (max_attempts > 0),
    claimed_by    text,
    heartbeat_at  timestamptz,
    finished_at   timestamptz,
    last_error    text
);
-- At most one unfinished job per workspace: concurrent requests coalesce into it (INSERT ... ON CONFLICT).
CREATE UNIQUE INDEX job_one_open_per_workspace_uq ON job (workspace_id) WHERE finished_at IS NULL;
CREATE INDEX job_runnable_idx ON job (run_after) WHERE finished_at IS NULL;
