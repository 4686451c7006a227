package dev.berth.admin;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a bad {@code berth.platforms} entry into Spring Boot's "APPLICATION FAILED TO START" report. */
public class InvalidPlatformConfigurationFailureAnalyzer
        extends AbstractFailureAnalyzer<InvalidPlatformConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidPlatformConfigurationException cause) {
        return new FailureAnalysis(
                cause.getMessage(),
                "Correct these berth.platforms entries (docs/admin-guide.md, \"Registering a platform in the"
                        + " configuration\") and start Berth again.",
                cause);
    }
}
