package dev.berth.admin;

import dev.berth.lti.LtiProperties;
import dev.berth.lti.ToolKey;
import dev.berth.lti.ToolKeys;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/admin/keys}: Berth's published signing keys, and rotation on demand. */
@RestController
@RequestMapping("/api/admin/keys")
class KeyApi {

    private final ToolKeys keys;
    private final LtiProperties lti;

    KeyApi(ToolKeys keys, LtiProperties lti) {
        this.keys = keys;
        this.lti = lti;
    }

    record Keys(String jwksUrl, List<ToolKey> keys) {}

    /** @param reason why the keys are rotated, kept in the audit log */
    record RotateRequest(String reason) {}

    @GetMapping
    Keys list() {
        return new Keys(lti.jwksUrl(), keys.list());
    }

    /**
     * Publishes a new key that signs after {@code berth.keys.publish-lead}; a rotation already pending is
     * returned instead of starting another, so retrying is safe.
     */
    @PostMapping("/rotate")
    ToolKey rotate(@RequestBody(required = false) RotateRequest request) {
        String reason =
                request == null || request.reason() == null || request.reason().isBlank()
                        ? "rotated through the admin API"
                        : request.reason().strip();
        return keys.rotate(PlatformApi.ACTOR, reason);
    }
}
