package dev.berth.provisioning;

import java.util.UUID;

/** A workspace a backend holds running resources for, as the backend itself finds it. */
public record OwnedWorkspace(UUID workspaceId, boolean running, BackendRefs refs) {}
