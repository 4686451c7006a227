-- Berth schema, part 4: a local command for the 'jupyter' environment that runs what Debian packages.
-- (V4, not V3: the wiring branch adds V3__terminal_base_path.sql; the two touch different rows.)
--
-- V2 seeded `jupyter lab --ServerApp.*`: Debian 12 packages no JupyterLab, and its jupyter-notebook (6.4.12)
-- is the classic NotebookApp, which ignores ServerApp options (so it would ask for a token). This command:
--   * runs the `jupyter-notebook` executable: Notebook 6 (Debian 12) and Notebook 7 (Jupyter Server) both
--     ship it;
--   * uses the command-line aliases both accept (--ip, --port, --no-browser, --allow-root, --port-retries,
--     --notebook-dir);
--   * sets base_url, token and password for both NotebookApp (Notebook 6) and ServerApp (Jupyter Server);
--     an application ignores options of the class it does not have;
--   * turns authentication off (empty token and password): Berth's gateway authenticates; the process
--     binds 127.0.0.1 only. Jupyter's XSRF check stays on (its own pages send the _xsrf cookie);
--   * --port-retries=0: on a port taken between Berth's pick and the bind, fail instead of moving to
--     another port that the health check would never probe (it could find another workspace there);
--   * passes --allow-root because Berth may run as root (CI containers); the notebook runs as Berth's user
--     either way, so the flag only removes Jupyter's refusal.
-- The health path {base_path}api/status answers 200 without a token once the server is up, on both.
-- Jupyter's runtime, data and config folders and IPython's are pinned inside the workspace home, so that
-- nothing the notebook writes lands outside it.
UPDATE environment
SET name          = 'Jupyter Notebook',
    description   = 'Jupyter Notebook with a Python kernel.',
    local_command = '["jupyter-notebook", "--ip=127.0.0.1", "--port={port}", "--no-browser", "--allow-root", "--port-retries=0",
                      "--notebook-dir={home}",
                      "--NotebookApp.base_url={base_path}", "--NotebookApp.token=", "--NotebookApp.password=",
                      "--ServerApp.base_url={base_path}", "--ServerApp.token=", "--ServerApp.password="]',
    base_path_mode = 'keep',
    health_path   = '{base_path}api/status',
    env           = env || '{"JUPYTER_CONFIG_DIR": "{home}/.jupyter",
                             "JUPYTER_DATA_DIR": "{home}/.local/share/jupyter",
                             "JUPYTER_RUNTIME_DIR": "{home}/.local/share/jupyter/runtime",
                             "IPYTHONDIR": "{home}/.ipython"}',
    updated_at    = now()
WHERE key = 'jupyter';
