package dev.berth.provisioning;

import java.time.Instant;
import java.util.UUID;

/** One entry of a workspace's timeline: a request, a step, a state change, a wait or an error. */
public record WorkspaceEvent(
        long id, UUID workspaceId, Instant at, String kind, WorkspaceState state, String message) {}
