package dev.berth.lti.web;

import dev.berth.lti.LtiLaunch;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * What Berth does with a validated launch: map it to its own model and open a session. Implemented outside
 * the {@code lti} package, which knows nothing of courses or workspaces. Runs inside the launch's
 * transaction: if it throws, nothing of the launch is kept.
 */
public interface LaunchHandler {

    /** Returns the path (and query) the browser is sent to next. */
    String accept(LtiLaunch launch, HttpServletRequest request, HttpServletResponse response);
}
