package dev.berth.provisioning;

/** An environment with this key is already in the catalogue. */
public class DuplicateEnvironmentException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String key;

    public DuplicateEnvironmentException(String key) {
        super("An environment with the key '" + key + "' already exists");
        this.key = key;
    }

    public String key() {
        return key;
    }
}
