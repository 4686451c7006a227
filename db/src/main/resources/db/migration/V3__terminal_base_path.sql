-- Berth's terminal serves under the base path it is given (BASE_PATH) and answers its health check there, so the
-- gateway keeps the prefix and the engine probes {base_path}healthz.
UPDATE environment
SET base_path_mode = 'keep', health_path = '{base_path}healthz', updated_at = now()
WHERE key = 'terminal' AND local_command IS NULL;
