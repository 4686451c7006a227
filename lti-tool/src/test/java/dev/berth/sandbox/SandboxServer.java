package dev.berth.sandbox;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.catalina.connector.Connector;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * The sandbox's own Tomcat connector, on 127.0.0.1 and its own port. Berth is reached as {@code localhost},
 * the sandbox as {@code 127.0.0.1}: two sites, so Berth in the sandbox's iframe is a third-party frame, as it
 * is in a real LMS, and the browser's third-party cookie rules apply.
 */
public final class SandboxServer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    static final String HOST = "127.0.0.1";

    private final Connector connector;

    SandboxServer(int port) {
        this.connector = new Connector();
        connector.setPort(port);
        connector.setProperty("address", HOST);
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addAdditionalConnectors(connector);
    }

    /** The port the sandbox listens on (the one chosen by the system when configured as 0). */
    public int port() {
        int port = connector.getLocalPort();
        if (port <= 0) {
            throw new IllegalStateException("The sandbox LMS has not started listening yet");
        }
        return port;
    }

    public String baseUrl() {
        return "http://" + HOST + ":" + port();
    }

    /** Whether a request came in on the sandbox's connector rather than Berth's. */
    boolean serves(HttpServletRequest request) {
        int port = connector.getLocalPort();
        return port > 0 && request.getLocalPort() == port;
    }

    String issuer(SandboxPlatform platform) {
        return baseUrl() + "/" + platform.key();
    }

    String authorizeUrl(SandboxPlatform platform) {
        return issuer(platform) + "/authorize";
    }

    String tokenUrl(SandboxPlatform platform) {
        return issuer(platform) + "/token";
    }

    String jwksUrl(SandboxPlatform platform) {
        return issuer(platform) + "/jwks";
    }

    String serviceUrl(SandboxPlatform platform, String path) {
        return issuer(platform) + path;
    }
}
