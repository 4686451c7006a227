package dev.berth.lti;

import java.util.List;

/**
 * One reason a login or launch was refused: a stable code (a metric tag and the key of the message the user
 * reads) and the values the message shows.
 */
public record LaunchFailure(String code, List<String> details) {

    public static LaunchFailure of(String code, Object... details) {
        return new LaunchFailure(
                code, java.util.Arrays.stream(details).map(String::valueOf).toList());
    }

    public String messageKey() {
        return "launch.failure." + code;
    }
}
