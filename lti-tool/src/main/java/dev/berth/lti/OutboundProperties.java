package dev.berth.lti;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How Berth fetches URLs that come from registrations (JWKS, tokens, services). Every such URL is an SSRF
 * risk, so fetches are bounded and private addresses are refused unless allowed here.
 *
 * @param allowPrivateAddresses fetch from loopback, link-local and private addresses (a sandbox or an LMS
 *     on the same network); never enable it where untrusted admins register platforms
 * @param connectTimeout time to connect
 * @param readTimeout time for the whole response
 * @param maxResponseSize larger responses are refused
 * @param userAgent sent on every outbound call (Canvas refuses calls without one)
 */
@ConfigurationProperties("berth.outbound")
public record OutboundProperties(
        @DefaultValue("false") boolean allowPrivateAddresses,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("10s") Duration readTimeout,
        @DefaultValue("512KB") DataSize maxResponseSize,
        @DefaultValue("Berth/0.1 (LTI 1.3 tool)") String userAgent) {}
