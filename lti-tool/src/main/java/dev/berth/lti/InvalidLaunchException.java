package dev.berth.lti;

import java.util.List;

/** A login or launch that breaks LTI's rules: the user sees every reason, with the HTTP status given. */
public class InvalidLaunchException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient List<LaunchFailure> failures;

    public InvalidLaunchException(int status, List<LaunchFailure> failures) {
        super(failures.stream().map(LaunchFailure::code).toList().toString());
        this.status = status;
        this.failures = List.copyOf(failures);
    }

    public InvalidLaunchException(int status, LaunchFailure failure) {
        this(status, List.of(failure));
    }

    public int status() {
        return status;
    }

    public List<LaunchFailure> failures() {
        return failures;
    }
}
