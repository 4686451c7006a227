package dev.berth.admin;

import java.util.List;
import java.util.Map;

/**
 * The JSON body of {@code POST /api/admin/environments} and {@code PUT /api/admin/environments/{key}}: the
 * catalogue's fields, with the command as a JSON array and the variables as an object. Omitted fields take the
 * form's defaults ({@code process}, port 8080, {@code strip}, health path {@code /}, 1000 millicores, 2048 MiB,
 * one hour idle, two minutes to start, enabled). On {@code PUT} the key in the path wins.
 */
record EnvironmentRequest(
        String key,
        String name,
        String description,
        String kind,
        List<String> command,
        String image,
        Integer port,
        String basePathMode,
        String healthPath,
        Integer cpuMillis,
        Integer memoryMib,
        Integer idleTimeoutSeconds,
        Integer startTimeoutSeconds,
        Map<String, String> env,
        Boolean enabled) {}
