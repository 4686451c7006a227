package dev.berth.workspace.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WebSocketRelayTests {

    @Test
    void surrogatePairCutBetweenPartsIsSentWhole() {
        var parts = new WebSocketRelay.TextParts();
        String emoji = "😀";

        assertThat(parts.next("a" + emoji.charAt(0), false)).isEqualTo("a");
        assertThat(parts.next(emoji.charAt(1) + "b", false)).isEqualTo(emoji + "b");
        assertThat(parts.next("", true)).isEmpty();
    }

    @Test
    void closeCodesThatOnlyDescribeACloseAreReplacedBeforeSending() {
        assertThat(WebSocketRelay.sendable(1005, true)).isEqualTo(1000);
        assertThat(WebSocketRelay.sendable(1006, false)).isEqualTo(1011);
        assertThat(WebSocketRelay.sendable(1009, true)).isEqualTo(1011);
        assertThat(WebSocketRelay.sendable(1009, false)).isEqualTo(1009);
        assertThat(WebSocketRelay.sendable(4001, true)).isEqualTo(4001);
        assertThat(WebSocketRelay.sendable(1001, true)).isEqualTo(1001);
    }

    @Test
    void berthSessionParameterIsRemovedFromTheUpstreamUrl() {
        try (var relay = new WorkspaceRelay(RelaySettings.of(Set.of("BERTH_SESSION"), Set.of("bsid")))) {
            URI upstream = URI.create("http://127.0.0.1:9/");

            assertThat(relay.target(upstream, "/a/b?bsid=s&x=%2F&bsid=t")).hasToString("http://127.0.0.1:9/a/b?x=%2F");
            assertThat(relay.target(upstream, "/a?bsid=s")).hasToString("http://127.0.0.1:9/a");
            assertThat(relay.target(upstream, "/a?bsidx=1")).hasToString("http://127.0.0.1:9/a?bsidx=1");
        }
    }
}
