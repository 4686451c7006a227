package dev.berth.lti;

import java.time.Instant;

/** One of Berth's signing keys as the admin sees it; the private part never leaves {@link ToolKeys}. */
public record ToolKey(String kid, State state, Instant createdAt, Instant activatesAt, Instant unpublishAt) {

    public enum State {
        /** Published, signs nothing yet. */
        NEXT,
        /** Signs everything Berth signs. */
        ACTIVE,
        /** Superseded, still published until what it signed has expired. */
        RETIRED
    }
}
