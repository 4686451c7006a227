package dev.berth.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class WorkspaceEnginePropertiesTests {

    @Test
    void withoutPropertiesTheEngineRunsWithItsProductionDefaults() {
        WorkspaceEngineProperties properties = bind(Map.of());

        assertThat(properties.settings()).isEqualTo(EngineSettings.defaults());
        assertThat(properties.enabled()).isFalse();
        assertThat(properties.local().root()).isNull();
        assertThat(properties.local().stopGrace()).isEqualTo(Duration.ofSeconds(5));
        assertThat(properties.local().logCap().toBytes()).isEqualTo(1024 * 1024);
        assertThat(properties.local().limitAddressSpace()).isFalse();
    }

    @Test
    void propertiesOverrideEachTimingInTheUnitsTheyAreWrittenIn() {
        WorkspaceEngineProperties properties = bind(Map.of(
                "berth.workspaces.stale-after", "3s",
                "berth.workspaces.heartbeat-interval", "500ms",
                "berth.workspaces.reconcile-interval", "1s",
                "berth.workspaces.max-attempts", "2",
                "berth.workspaces.local.stop-grace", "2s",
                "berth.workspaces.local.root", "/srv/berth/workspaces"));

        assertThat(properties.settings().staleAfter()).isEqualTo(Duration.ofSeconds(3));
        assertThat(properties.settings().heartbeatInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(properties.settings().reconcileInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(properties.settings().maxAttempts()).isEqualTo(2);
        assertThat(properties.local().stopGrace()).isEqualTo(Duration.ofSeconds(2));
        assertThat(properties.local().root()).hasToString("/srv/berth/workspaces");
    }

    @Test
    void settingsThatCannotWorkAreRefusedWithThePropertyName() {
        assertThatThrownBy(() -> bind(Map.of("berth.workspaces.poll-interval", "0s")))
                .isInstanceOf(BindException.class)
                .rootCause()
                .hasMessageContaining("berth.workspaces.poll-interval");
        assertThatThrownBy(() -> bind(Map.of("berth.workspaces.stale-after", "2s")))
                .rootCause()
                .hasMessageContaining("stale-after")
                .hasMessageContaining("heartbeat-interval");
        assertThatThrownBy(() -> bind(Map.of("berth.workspaces.max-attempts", "0")))
                .rootCause()
                .hasMessageContaining("berth.workspaces.max-attempts");
        assertThatThrownBy(() -> bind(Map.of("berth.workspaces.local.stop-grace", "-1s")))
                .rootCause()
                .hasMessageContaining("berth.workspaces.local.stop-grace");
    }

    private static WorkspaceEngineProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("berth.workspaces", WorkspaceEngineProperties.class);
    }
}
