package dev.berth.provisioning;

import java.util.UUID;

/** A claimed job: "bring this workspace to its desired state". */
record Job(long id, UUID workspaceId, int attempts, int maxAttempts, String claimedBy) {}
