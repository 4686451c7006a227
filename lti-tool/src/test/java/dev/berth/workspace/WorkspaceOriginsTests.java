package dev.berth.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.workspace.WorkspaceOrigins.Host;
import dev.berth.workspace.WorkspaceOriginsProperties.Mode;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class WorkspaceOriginsTests {

    private static final UUID ID = UUID.fromString("0b6f8f2e-3c1d-4f5a-9e7b-2a4c6d8e0f12");

    private final WorkspaceOrigins local = origins(null, "http://localhost:8080");

    @Test
    void defaultHostIsTheWorkspaceIdUnderLocalhostOnBerthsSchemeAndPort() {
        assertThat(local.origin(ID)).isEqualTo("http://ws-" + ID + ".localhost:8080");
        assertThat(local.berthOrigin()).isEqualTo("http://localhost:8080");
        assertThat(local.host(request("ws-" + ID + ".localhost", 8080))).isEqualTo(new Host.Workspace(ID));
    }

    @Test
    void hostNamesAreMatchedCaseInsensitivelyButOtherwiseExactly() {
        assertThat(local.host(request("WS-" + ID.toString().toUpperCase() + ".LOCALHOST", 8080)))
                .isEqualTo(new Host.Workspace(ID));
        assertThat(local.host(request("localhost", 8080))).isEqualTo(new Host.Berth());
        assertThat(local.host(request("x.ws-" + ID + ".localhost", 8080))).isEqualTo(new Host.Berth());
        assertThat(local.host(request("ws-" + ID + ".localhost.evil.example", 8080)))
                .isEqualTo(new Host.Berth());
        assertThat(local.host(request("ws-" + ID.toString().replace("-", "") + "0000.localhost", 8080)))
                .as("not a UUID in canonical form")
                .isEqualTo(new Host.Berth());
        assertThat(local.host(request("ws-0-0-0-0-000000000000000000000000000.localhost", 8080)))
                .isEqualTo(new Host.Berth());
    }

    @Test
    void workspaceHostOnAnotherPortIsMisdirectedNotBerths() {
        assertThat(local.host(request("ws-" + ID + ".localhost", 9090))).isEqualTo(new Host.Misdirected());
    }

    @Test
    void productionTemplateUsesTheDefaultPortOfBerthsScheme() {
        WorkspaceOrigins production = origins("{id}.workspaces.example.edu", "https://berth.example.edu");

        assertThat(production.origin(ID)).isEqualTo("https://" + ID + ".workspaces.example.edu");
        assertThat(production.host(request(ID + ".workspaces.example.edu", 443)))
                .isEqualTo(new Host.Workspace(ID));
        assertThat(production.host(request("berth.example.edu", 443))).isEqualTo(new Host.Berth());
    }

    @Test
    void templateMayNameItsOwnPort() {
        WorkspaceOrigins withPort = origins("{id}.ws.example.edu:8443", "https://berth.example.edu");

        assertThat(withPort.origin(ID)).isEqualTo("https://" + ID + ".ws.example.edu:8443");
        assertThat(withPort.host(request(ID + ".ws.example.edu", 8443))).isEqualTo(new Host.Workspace(ID));
    }

    @Test
    void singleModeServesNoWorkspaceHost() {
        WorkspaceOrigins single = WorkspaceOrigins.of(
                new WorkspaceOriginsProperties(Mode.SINGLE, null, Duration.ofSeconds(60), Duration.ofHours(8)),
                URI.create("http://localhost:8080"));

        assertThat(single.perWorkspace()).isFalse();
        assertThat(single.host(request("ws-" + ID + ".localhost", 8080))).isEqualTo(new Host.Berth());
    }

    @Test
    void unusableTemplatesAreRefusedAtStartupWithTheReason() {
        assertThatThrownBy(() -> origins("workspaces.example.edu", "https://berth.example.edu"))
                .hasMessageContaining("must contain {id} exactly once");
        assertThatThrownBy(() -> origins("ws.{id}.example.edu", "https://berth.example.edu"))
                .hasMessageContaining("{id} in its first label");
        assertThatThrownBy(() -> origins("{id}", "https://berth.example.edu"))
                .hasMessageContaining("{id} in its first label");
        assertThatThrownBy(() -> origins("{id}.example.edu:https", "https://berth.example.edu"))
                .hasMessageContaining("port number");
    }

    private static WorkspaceOrigins origins(String template, String publicUrl) {
        return WorkspaceOrigins.of(
                new WorkspaceOriginsProperties(
                        Mode.PER_WORKSPACE, template, Duration.ofSeconds(60), Duration.ofHours(8)),
                URI.create(publicUrl));
    }

    private static MockHttpServletRequest request(String host, int port) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
        request.setServerName(host);
        request.setServerPort(port);
        return request;
    }
}
