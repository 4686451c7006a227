-- Berth schema, part 8: how much a workspace's home holds, as last measured by the engine (never per page view).
-- NULL until the first measurement, or when the backend cannot tell.
ALTER TABLE workspace ADD COLUMN home_bytes bigint CHECK (home_bytes IS NULL OR home_bytes >= 0);
ALTER TABLE workspace ADD COLUMN home_measured_at timestamptz;
-- The measuring task picks the workspaces measured longest ago first.
CREATE INDEX workspace_home_measured_idx ON workspace (home_measured_at NULLS FIRST)
    WHERE state IN ('RUNNING', 'STOPPED');
