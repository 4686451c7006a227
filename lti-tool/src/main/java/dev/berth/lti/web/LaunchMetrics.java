package dev.berth.lti.web;

import dev.berth.lti.LaunchFailure;
import dev.berth.lti.LtiLaunch;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.springframework.stereotype.Component;

/** Launch counts by outcome and message type, and rejections by reason, for the Prometheus endpoint. */
@Component
class LaunchMetrics {

    private final MeterRegistry registry;

    LaunchMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void accepted(LtiLaunch launch) {
        Counter.builder("berth.lti.launches")
                .description("LTI launches by outcome")
                .tag("outcome", "accepted")
                .tag("message_type", launch.messageType())
                .tag("product", launch.platform().product())
                .register(registry)
                .increment();
    }

    void rejected(String stage, List<LaunchFailure> failures) {
        Counter.builder("berth.lti.launches")
                .description("LTI launches by outcome")
                .tag("outcome", "rejected")
                .tag("message_type", stage)
                .tag("product", "unknown")
                .register(registry)
                .increment();
        for (LaunchFailure failure : failures) {
            Counter.builder("berth.lti.rejections")
                    .description("Reasons for refused LTI logins and launches")
                    .tag("reason", failure.code())
                    .register(registry)
                    .increment();
        }
    }

    void logins() {
        Counter.builder("berth.lti.logins")
                .description("OIDC login initiations answered")
                .register(registry)
                .increment();
    }
}
