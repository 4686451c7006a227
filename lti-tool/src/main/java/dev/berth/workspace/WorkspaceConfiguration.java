package dev.berth.workspace;

import dev.berth.lti.LtiProperties;
import dev.berth.provisioning.BuiltInEnvironments;
import dev.berth.provisioning.Workspaces;
import dev.berth.terminal.TerminalCommand;
import dev.berth.web.SessionConfiguration;
import dev.berth.workspace.gateway.RelaySettings;
import dev.berth.workspace.gateway.WorkspaceRelay;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The web side of workspaces: the built-in terminal's command for the local backend, and the gateway. */
@ConditionalOnBooleanProperty("berth.workspaces.enabled")
@Configuration(proxyBeanMethods = false)
class WorkspaceConfiguration {

    /** The catalogue's {@code terminal} kind is Berth's own terminal server, run in a JVM of its own. */
    @Bean
    BuiltInEnvironments builtInEnvironments() {
        return kind -> "terminal".equals(kind) ? Optional.of(TerminalCommand.argv()) : Optional.<List<String>>empty();
    }

    @Bean(destroyMethod = "close")
    WorkspaceRelay workspaceRelay() {
        return new WorkspaceRelay(
                RelaySettings.of(Set.of(SessionConfiguration.COOKIE_NAME), Set.of(SessionConfiguration.URL_PARAMETER)));
    }

    /**
     * A servlet of its own rather than a controller: the relay needs the request as it came (body unread,
     * upgrade headers intact), and nothing of Spring MVC's content negotiation or error handling.
     */
    @Bean
    ServletRegistrationBean<WorkspaceGateway> workspaceGateway(
            Workspaces workspaces, WorkspaceRelay relay, LtiProperties lti) {
        URI publicUrl = lti.publicUrl();
        String origin = publicUrl.getScheme() + "://" + publicUrl.getRawAuthority();
        ServletRegistrationBean<WorkspaceGateway> registration = new ServletRegistrationBean<>(
                new WorkspaceGateway(workspaces, relay, origin), WorkspaceGateway.PREFIX + "*");
        registration.setName("workspaceGateway");
        registration.setAsyncSupported(true);
        return registration;
    }
}
