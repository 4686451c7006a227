package dev.berth.provisioning;

/** An uploaded starter archive breaks a rule of {@link StarterZip}; the message says which, for the uploader. */
public class InvalidStarterArchiveException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidStarterArchiveException(String message) {
        super(message);
    }
}
