package dev.berth.provisioning;

/**
 * A backend step failed. Permanent failures (nothing a retry can fix: a missing command or image) fail the
 * workspace at once; others are retried with backoff.
 */
public class WorkspaceBackendException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean permanent;

    public WorkspaceBackendException(String message, boolean permanent) {
        super(message);
        this.permanent = permanent;
    }

    public WorkspaceBackendException(String message, Throwable cause) {
        super(message, cause);
        this.permanent = false;
    }

    public boolean permanent() {
        return permanent;
    }
}
