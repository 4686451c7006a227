package dev.berth.lti;

/** A registration with the same (issuer, client_id) already exists. */
public class DuplicatePlatformException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DuplicatePlatformException(String issuer, String clientId) {
        super("A platform with issuer " + issuer + " and client id " + clientId + " is already registered.");
    }
}
