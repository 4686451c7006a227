package dev.berth.admin;

import java.util.List;

/** {@code berth.platforms} holds entries Berth cannot register; the message lists each entry and field. */
public class InvalidPlatformConfigurationException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // an immutable list of strings
    private final List<String> problems;

    InvalidPlatformConfigurationException(List<String> problems) {
        super("Invalid platform configuration:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
