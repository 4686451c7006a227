package dev.berth.provisioning;

import java.util.UUID;

/** No workspace has this id. */
public class WorkspaceNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public WorkspaceNotFoundException(UUID id) {
        super("No workspace " + id);
    }
}
