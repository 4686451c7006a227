package dev.berth.admin;

import dev.berth.lti.PlatformDraft;
import dev.berth.lti.PlatformRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Registers {@code berth.platforms} at start, before the web server accepts requests. Every entry is checked
 * first, so a typo in the fifth entry stops Berth without having half-applied the first four.
 */
@Component
class ConfiguredPlatforms implements SmartInitializingSingleton {

    static final String SOURCE = "config";

    private static final Logger log = LoggerFactory.getLogger(ConfiguredPlatforms.class);

    private final PlatformsProperties properties;
    private final PlatformValidation validation;
    private final PlatformRegistry registry;

    ConfiguredPlatforms(PlatformsProperties properties, PlatformValidation validation, PlatformRegistry registry) {
        this.properties = properties;
        this.validation = validation;
        this.registry = registry;
    }

    @Override
    public void afterSingletonsInstantiated() {
        List<PlatformDraft> drafts = drafts(properties, validation);
        for (PlatformDraft draft : drafts) {
            registry.upsert(draft, SOURCE, SOURCE);
        }
        if (!drafts.isEmpty()) {
            log.info("Registered {} platform(s) from berth.platforms", drafts.size());
        }
    }

    /** The valid drafts, or an exception naming every broken entry and field. */
    static List<PlatformDraft> drafts(PlatformsProperties properties, PlatformValidation validation) {
        List<PlatformDraft> drafts = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        List<PlatformsProperties.ConfiguredPlatform> entries = properties.platforms();
        for (int i = 0; i < entries.size(); i++) {
            PlatformDraft draft = entries.get(i).toDraft();
            String entry = "berth.platforms[" + i + "]" + (draft.name() == null ? "" : " (" + draft.name() + ")");
            validation
                    .errors(draft)
                    .forEach((field, messages) ->
                            problems.add(entry + " " + kebab(field) + ": " + String.join("; ", messages)));
            Integer first = seen.putIfAbsent(draft.issuer() + "\n" + draft.clientId(), i);
            if (first != null) {
                problems.add(entry + " repeats the issuer and client-id of berth.platforms[" + first + "]");
            }
            drafts.add(draft);
        }
        if (!problems.isEmpty()) {
            throw new InvalidPlatformConfigurationException(problems);
        }
        return drafts;
    }

    /** The property name as written in application.yaml ({@code clientId} → {@code client-id}). */
    static String kebab(String field) {
        return field.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
