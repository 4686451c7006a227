package dev.berth.lti.web;

import dev.berth.lti.ToolKeys;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /.well-known/jwks.json}: Berth's public keys, each with kid, alg and use (Canvas needs all three). */
@RestController
class JwksEndpoint {

    private final ToolKeys keys;

    JwksEndpoint(ToolKeys keys) {
        this.keys = keys;
    }

    @GetMapping(path = "/.well-known/jwks.json", produces = "application/json")
    ResponseEntity<Map<String, Object>> jwks() {
        return ResponseEntity.ok()
                .cacheControl(CacheControl.maxAge(5, TimeUnit.MINUTES).cachePublic())
                .body(keys.publishedKeys().toJSONObject(true));
    }
}
