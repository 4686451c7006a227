package dev.berth.provisioning;

/**
 * Whether the backend can run an environment on this server, as far as it can tell without starting it.
 *
 * @param detail what is missing: the executable for {@link Status#NOT_INSTALLED}, else empty
 */
public record EnvironmentAvailability(Status status, String detail) {

    public enum Status {
        /** It can run (an installed command, the built-in terminal, or a backend that runs images). */
        READY,
        /** The command's executable is not on the PATH, or the absolute path is not executable. */
        NOT_INSTALLED,
        /** A process environment with no local command: it runs only on container backends. */
        NO_LOCAL_COMMAND,
        /** An admin disabled it: no new workspace starts with it. */
        DISABLED
    }

    public static final EnvironmentAvailability READY = new EnvironmentAvailability(Status.READY, "");

    public static EnvironmentAvailability notInstalled(String executable) {
        return new EnvironmentAvailability(Status.NOT_INSTALLED, executable);
    }

    public boolean ready() {
        return status == Status.READY;
    }
}
