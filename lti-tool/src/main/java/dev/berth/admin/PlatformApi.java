package dev.berth.admin;

import dev.berth.lti.LtiProperties;
import dev.berth.lti.Platform;
import dev.berth.lti.PlatformDraft;
import dev.berth.lti.PlatformRegistry;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/admin/platforms}: platform registrations for scripts and provisioning tools, behind an admin API
 * token. Every change is audited with the actor {@value #ACTOR}.
 */
@RestController
@RequestMapping("/api/admin/platforms")
class PlatformApi {

    static final String ACTOR = "api";

    private final PlatformRegistry registry;
    private final PlatformValidation validation;
    private final LtiProperties lti;

    PlatformApi(PlatformRegistry registry, PlatformValidation validation, LtiProperties lti) {
        this.registry = registry;
        this.validation = validation;
        this.lti = lti;
    }

    @GetMapping
    List<Platform> list() {
        return registry.all();
    }

    @PostMapping
    ResponseEntity<Platform> create(@RequestBody PlatformRequest request) {
        PlatformDraft draft = validated(request);
        Platform platform = registry.create(draft, ACTOR, ACTOR);
        return ResponseEntity.created(URI.create(lti.url("/api/admin/platforms/" + platform.id())))
                .body(platform);
    }

    @GetMapping("/{id}")
    Platform get(@PathVariable long id) {
        return registry.find(id).orElseThrow(() -> new AdminApiErrors.NotFoundException(id));
    }

    @PutMapping("/{id}")
    Platform update(@PathVariable long id, @RequestBody PlatformRequest request) {
        Platform existing = get(id);
        PlatformDraft draft = validated(request);
        return registry.update(id, draft, PlatformPages.sourceAfterEdit(existing, ACTOR), ACTOR)
                .orElseThrow(() -> new AdminApiErrors.NotFoundException(id));
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable long id) {
        return switch (registry.delete(id, ACTOR)) {
            case DELETED -> ResponseEntity.noContent().build();
            case NOT_FOUND -> throw new AdminApiErrors.NotFoundException(id);
            case HAS_COURSES -> throw new AdminApiErrors.HasCoursesException(id);
        };
    }

    private PlatformDraft validated(PlatformRequest request) {
        PlatformDraft draft = request.toDraft();
        Map<String, List<String>> errors = validation.errors(draft);
        if (!errors.isEmpty()) {
            throw new AdminApiErrors.InvalidPlatformException(errors);
        }
        return draft;
    }
}
