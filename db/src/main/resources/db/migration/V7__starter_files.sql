-- Starter files: a .zip that staff upload for an assignment and that seeds a workspace's home the first time it is
-- created, and again on "reset to starter files". The engine (provisioning/) owns starter_archive and knows an
-- archive only by its id; lti-tool links an assignment to one.

CREATE TABLE starter_archive (
    id                 uuid        PRIMARY KEY,
    -- The uploaded file's name, as shown to staff.
    name               text        NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    sha256             text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size_bytes         bigint      NOT NULL CHECK (size_bytes > 0),
    file_count         int         NOT NULL CHECK (file_count >= 0),
    unpacked_bytes     bigint      NOT NULL CHECK (unpacked_bytes >= 0),
    bytes              bytea       NOT NULL,
    -- Opaque to the engine (lti-tool: the uploader's person reference).
    uploaded_by        text        NOT NULL,
    uploaded_at        timestamptz NOT NULL
);

ALTER TABLE assignment
    ADD COLUMN starter_archive_id uuid REFERENCES starter_archive (id);

ALTER TABLE workspace
    -- The archive the home was (or is being) seeded from: a job resumed after a crash still knows what to unpack.
    ADD COLUMN starter_archive_id uuid REFERENCES starter_archive (id),
    -- "Reset to starter files": the runner stops the workspace, moves the home's files into reset_backup, unpacks
    -- the starter files and starts again. reset_backup is chosen once, before the first file moves, so a retried
    -- reset moves the rest into the same folder; reset_backed_up records that the move finished.
    ADD COLUMN reset_pending   boolean NOT NULL DEFAULT false,
    ADD COLUMN reset_backup    text,
    ADD COLUMN reset_backed_up boolean NOT NULL DEFAULT false;
