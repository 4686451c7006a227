package dev.berth.testing;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * One WireMock server for the whole test JVM, serving every {@link TestPlatform}'s JWKS (each platform has
 * its own path, so test classes never see each other's stubs). Started on first use, stopped with the JVM.
 */
public final class SharedWireMock {

    private static WireMockServer server;

    private SharedWireMock() {}

    public static synchronized WireMockServer server() {
        if (server == null) {
            WireMockServer started = new WireMockServer(wireMockConfig().dynamicPort());
            started.start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "wiremock-stop"));
            server = started;
        }
        return server;
    }
}
