package dev.berth.workspace.gateway;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How the relay treats upstreams and what it keeps from them.
 *
 * @param berthCookies cookies Berth sets on its own origin; never sent upstream, never set by an upstream
 * @param berthQueryParameters query parameters that carry Berth credentials (the session id when cookies are
 *     blocked); removed from the upstream URL
 * @param connectTimeout how long to wait for an upstream to accept a connection (HTTP and WebSocket)
 * @param responseTimeout how long to wait for an upstream's response headers; the body may then stream for as
 *     long as the upstream keeps sending
 * @param frameTimeout how long one WebSocket frame may wait for the receiving side before both legs are closed
 */
public record RelaySettings(
        Set<String> berthCookies,
        Set<String> berthQueryParameters,
        Duration connectTimeout,
        Duration responseTimeout,
        Duration frameTimeout) {

    public RelaySettings {
        berthCookies = Set.copyOf(berthCookies);
        berthQueryParameters = Set.copyOf(berthQueryParameters);
        Objects.requireNonNull(connectTimeout);
        Objects.requireNonNull(responseTimeout);
        Objects.requireNonNull(frameTimeout);
    }

    /** Berth's credentials as given, with timeouts that suit IDEs on the same machine or network. */
    public static RelaySettings of(Set<String> berthCookies, Set<String> berthQueryParameters) {
        return new RelaySettings(
                berthCookies,
                berthQueryParameters,
                Duration.ofSeconds(5),
                Duration.ofSeconds(60),
                Duration.ofSeconds(30));
    }

    public RelaySettings withTimeouts(Duration connect, Duration response, Duration frame) {
        return new RelaySettings(berthCookies, berthQueryParameters, connect, response, frame);
    }
}
