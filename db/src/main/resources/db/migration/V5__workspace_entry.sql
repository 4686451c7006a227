-- Per-workspace origins (docs/security.md, "Workspace origins"): Berth hands a viewer over to a workspace's own
-- host with a one-time entry token; the gateway on that host redeems it and sets a workspace session cookie
-- signed with a key every replica shares.

-- Single use: redeeming sets used_at in the same statement that checks it is unset and unexpired.
-- Only a SHA-256 of the token is kept, so the table alone lets no one enter.
CREATE TABLE workspace_entry_token (
    token_hash    bytea       PRIMARY KEY CHECK (length(token_hash) = 32),
    -- No foreign key: tokens live a minute and are swept after expiry, and the lifecycle engine's tables stay
    -- free of references from lti-tool's (a token for a workspace that is gone leads to a 404, nothing more).
    workspace_id  uuid        NOT NULL,
    -- Who enters (lti-tool: person:<id>), checked by Berth when it minted the token.
    viewer_ref    text        NOT NULL CHECK (length(viewer_ref) BETWEEN 1 AND 200),
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    used_at       timestamptz
);

CREATE INDEX workspace_entry_token_expires_idx ON workspace_entry_token (expires_at);

-- The HMAC key of workspace session cookies: one row, made by whichever replica needs it first.
-- Deleting the row signs every viewer out of every workspace (they enter again through Berth).
CREATE TABLE workspace_session_key (
    id          smallint    PRIMARY KEY CHECK (id = 1),
    secret      bytea       NOT NULL CHECK (length(secret) >= 32),
    created_at  timestamptz NOT NULL
);
