package dev.berth.workspace;

import dev.berth.lti.LtiProperties;
import dev.berth.lti.PlatformRegistry;
import dev.berth.provisioning.BuiltInEnvironments;
import dev.berth.provisioning.Workspaces;
import dev.berth.terminal.TerminalCommand;
import dev.berth.web.FrameAncestors;
import dev.berth.web.SessionConfiguration;
import dev.berth.workspace.gateway.RelaySettings;
import dev.berth.workspace.gateway.WorkspaceRelay;
import jakarta.servlet.DispatcherType;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.thymeleaf.ITemplateEngine;

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
        return new WorkspaceRelay(RelaySettings.of(
                Set.of(SessionConfiguration.COOKIE_NAME, WorkspaceSessions.COOKIE),
                Set.of(SessionConfiguration.URL_PARAMETER)));
    }

    @Bean
    WorkspaceOrigins workspaceOrigins(WorkspaceOriginsProperties properties, LtiProperties lti) {
        return WorkspaceOrigins.of(properties, lti.publicUrl());
    }

    @Bean
    EntryTokens entryTokens(JdbcClient jdbc, Clock clock) {
        return new EntryTokens(jdbc, clock);
    }

    @Bean
    WorkspaceSessions workspaceSessions(JdbcClient jdbc, Clock clock, WorkspaceOriginsProperties properties) {
        return new WorkspaceSessions(jdbc, clock, properties.sessionTtl());
    }

    @Bean
    WorkspaceForwarder workspaceForwarder(Workspaces workspaces, WorkspaceRelay relay, Clock clock) {
        return new WorkspaceForwarder(workspaces, relay, clock);
    }

    /**
     * A servlet of its own rather than a controller: the relay needs the request as it came (body unread,
     * upgrade headers intact), and nothing of Spring MVC's content negotiation or error handling.
     */
    @Bean
    ServletRegistrationBean<WorkspaceGateway> workspaceGateway(
            Workspaces workspaces, WorkspaceForwarder forwarder, WorkspaceOrigins origins) {
        ServletRegistrationBean<WorkspaceGateway> registration = new ServletRegistrationBean<>(
                new WorkspaceGateway(workspaces, forwarder, origins), WorkspaceGateway.PREFIX + "*");
        registration.setName("workspaceGateway");
        registration.setAsyncSupported(true);
        return registration;
    }

    /**
     * Workspace hosts are answered before any other filter of Berth's runs (session, security, pages): right
     * after the forwarded-header filter, which says which host a request came to behind a proxy.
     */
    @Bean
    FilterRegistrationBean<WorkspaceHostFilter> workspaceHostFilter(
            WorkspaceOrigins origins,
            EntryTokens tokens,
            WorkspaceSessions sessions,
            WorkspaceForwarder forwarder,
            PlatformRegistry platforms,
            ITemplateEngine templates) {
        FilterRegistrationBean<WorkspaceHostFilter> registration = new FilterRegistrationBean<>(new WorkspaceHostFilter(
                origins,
                tokens,
                sessions,
                forwarder,
                // Berth's origin frames the workspace (student and instructor pages); the platforms frame Berth,
                // and frame-ancestors checks every ancestor, not only the parent.
                new FrameAncestors(platforms, origins.berthOrigin(), ""),
                templates));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ERROR);
        registration.setAsyncSupported(true);
        return registration;
    }
}
