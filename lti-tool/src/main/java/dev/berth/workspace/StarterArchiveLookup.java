package dev.berth.workspace;

import java.util.Optional;
import java.util.UUID;

/**
 * The starter archive a new workspace started from an assignment is seeded with. The assignment feature knows it
 * (assignment.StarterFiles); this package only hands the opaque id to the engine.
 */
public interface StarterArchiveLookup {

    Optional<UUID> starterArchiveId(long courseId, long assignmentId);
}
