package dev.berth.terminal;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment a terminal's shell starts with: built from scratch, never copied, so that nothing Berth or
 * the local backend has in its own environment (database URLs, tokens, keys) reaches code the student runs.
 */
record ShellEnvironment(Path shell, Path home, Map<String, String> variables) {

    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /** From the terminal process's own environment, keeping only the few values a login shell needs. */
    static ShellEnvironment from(Map<String, String> parent, Path home, String userName) {
        Path shell = Path.of(nonBlank(parent.get("SHELL"), "/bin/bash"));
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("PATH", nonBlank(parent.get("PATH"), DEFAULT_PATH));
        variables.put("HOME", home.toString());
        variables.put("LANG", nonBlank(parent.get("LANG"), "C.UTF-8"));
        variables.put("TERM", "xterm-256color");
        variables.put("COLORTERM", "truecolor");
        variables.put("USER", nonBlank(parent.get("USER"), userName));
        variables.put("SHELL", shell.toString());
        return new ShellEnvironment(shell, home, Map.copyOf(variables));
    }

    /** A login shell, so /etc/profile and ~/.profile run as they would over ssh. */
    String[] command() {
        return new String[] {shell.toString(), "-l"};
    }

    private static String nonBlank(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
