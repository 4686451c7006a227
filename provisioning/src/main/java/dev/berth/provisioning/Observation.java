package dev.berth.provisioning;

/**
 * What a backend sees of a workspace right now.
 *
 * @param running its compute exists and has not exited
 * @param healthy it answered its health check
 * @param endpoint where the gateway reaches it (e.g. {@code http://127.0.0.1:41234}); null when not running
 */
public record Observation(boolean running, boolean healthy, String endpoint) {

    public static Observation absent() {
        return new Observation(false, false, null);
    }
}
