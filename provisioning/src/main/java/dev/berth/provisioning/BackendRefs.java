package dev.berth.provisioning;

import java.util.Map;
import java.util.TreeMap;

/** What a backend created for a workspace (paths, ids, ARNs), stored as JSON in {@code workspace.backend_refs}. */
public record BackendRefs(Map<String, String> values) {

    public BackendRefs {
        values = Map.copyOf(values);
    }

    public static BackendRefs empty() {
        return new BackendRefs(Map.of());
    }

    public String get(String key) {
        return values.get(key);
    }

    public BackendRefs with(String key, String value) {
        Map<String, String> copy = new TreeMap<>(values);
        copy.put(key, value);
        return new BackendRefs(copy);
    }

    public BackendRefs without(String key) {
        Map<String, String> copy = new TreeMap<>(values);
        copy.remove(key);
        return new BackendRefs(copy);
    }
}
