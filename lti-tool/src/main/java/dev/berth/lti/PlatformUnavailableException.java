package dev.berth.lti;

/** The platform (its JWKS, token or service endpoint) did not answer: the user should try again shortly. */
public class PlatformUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String platformName;

    public PlatformUnavailableException(String platformName, Throwable cause) {
        super("The platform " + platformName + " did not answer: " + cause.getMessage(), cause);
        this.platformName = platformName;
    }

    public String platformName() {
        return platformName;
    }
}
