package dev.berth.provisioning;

/** The environment asked for is not in the catalogue, or an admin disabled it. */
public class UnknownEnvironmentException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnknownEnvironmentException(String key) {
        super("No enabled environment '" + key + "' in the catalogue");
    }
}
