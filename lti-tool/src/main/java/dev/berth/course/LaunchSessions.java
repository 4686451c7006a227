package dev.berth.course;

import dev.berth.lti.LtiLaunch;
import dev.berth.web.SessionConfiguration;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.web.http.HttpSessionIdResolver;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Opens the Berth session of a launch: a fresh session id every time, so no id outlives a launch.
 *
 * <p>The session is written through the session repository inside the launch's transaction (Spring Session
 * joins it: {@link SessionConfiguration}), not at the end of the request: the launch's rows and its session
 * commit together or not at all, in one commit instead of two. A previous session of the browser (a relaunch)
 * hands its attributes on to the new one and is deleted in the same transaction, as
 * {@link HttpServletRequest#changeSessionId()} would.
 */
@Component
public class LaunchSessions {

    private static final String CONTEXT = HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY;

    private final SessionRepository<Session> repository;
    private final HttpSessionIdResolver ids;

    @SuppressWarnings("unchecked")
    LaunchSessions(SessionRepository<? extends Session> repository, HttpSessionIdResolver ids) {
        // Sessions only ever come from this repository's createSession and findById.
        this.repository = (SessionRepository<Session>) repository;
        this.ids = ids;
    }

    public String open(
            LtiLaunch launch, Courses.Enrolment enrolment, HttpServletRequest request, HttpServletResponse response) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("A launch's session is opened inside the launch's transaction");
        }
        Session previous = previous(request);
        LaunchUser user = previous != null
                        && user(previous) instanceof LaunchUser known
                        && known.personId() == enrolment.personId()
                ? known.with(enrolment.courseId(), enrolment.role())
                : new LaunchUser(
                        enrolment.personId(),
                        launch.platform().id(),
                        enrolment.displayName(),
                        Map.of(enrolment.courseId(), enrolment.role()));
        Session session = repository.createSession();
        if (previous != null) {
            for (String name : previous.getAttributeNames()) {
                if (!CONTEXT.equals(name)) {
                    session.setAttribute(name, previous.getAttribute(name));
                }
            }
            repository.deleteById(previous.getId());
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(new LaunchAuthentication(user));
        SecurityContextHolder.setContext(context);
        session.setAttribute(CONTEXT, context);
        repository.save(session);
        ids.setSessionId(request, response, session.getId());
        return session.getId();
    }

    /** The browser's current session, read from the repository (the request's own session is never opened). */
    private Session previous(HttpServletRequest request) {
        for (String id : ids.resolveSessionIds(request)) {
            Session session = repository.findById(id);
            if (session != null) {
                return session;
            }
        }
        return null;
    }

    private static LaunchUser user(Session session) {
        Object stored = session.getAttribute(CONTEXT);
        if (stored instanceof SecurityContext context
                && context.getAuthentication() instanceof LaunchAuthentication authentication) {
            return authentication.getPrincipal();
        }
        return null;
    }

    /** The landing URL carries the session id, for browsers that will not send the cookie back. */
    public static String withSessionId(String path, String sessionId) {
        return path + (path.contains("?") ? "&" : "?") + SessionConfiguration.URL_PARAMETER + "="
                + URLEncoder.encode(sessionId, StandardCharsets.UTF_8);
    }
}
