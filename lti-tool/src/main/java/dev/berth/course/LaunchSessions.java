package dev.berth.course;

import dev.berth.lti.LtiLaunch;
import dev.berth.web.SessionConfiguration;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.web.http.HttpSessionIdResolver;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Opens the Berth session of a launch: a fresh session id every time, so no id outlives a launch.
 *
 * <p>The session is written through the session repository inside the launch's transaction (Spring Session
 * joins it: {@link SessionConfiguration}), not at the end of the request: the launch's rows and its session
 * commit together or not at all, in one commit instead of two. The browser's previous session (a relaunch) hands
 * its attributes on to the new one and is invalidated in the same transaction, as
 * {@link HttpServletRequest#changeSessionId()} would. The cookie names the new session only once the transaction
 * committed; a launch that fails leaves the browser with the session it had.
 */
@Component
public class LaunchSessions {

    private static final Logger log = LoggerFactory.getLogger(LaunchSessions.class);

    private static final String CONTEXT = HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY;

    private final SessionRepository<Session> repository;
    private final HttpSessionIdResolver ids;

    @SuppressWarnings("unchecked")
    LaunchSessions(SessionRepository<? extends Session> repository, HttpSessionIdResolver ids) {
        // Sessions only ever come from this repository's createSession.
        this.repository = (SessionRepository<Session>) repository;
        this.ids = ids;
    }

    public String open(
            LtiLaunch launch, Courses.Enrolment enrolment, HttpServletRequest request, HttpServletResponse response) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()
                || !TransactionSynchronizationManager.isSynchronizationActive()) {
            throw new IllegalStateException("A launch's session is opened inside the launch's transaction");
        }
        // From here on the request's cookie is this launch's to write (SessionConfiguration.LAUNCH_SESSION).
        request.setAttribute(SessionConfiguration.LAUNCH_SESSION, "");
        // Spring Session's filter has usually loaded it already (Spring MVC looks for flash attributes in it).
        HttpSession previous = request.getSession(false);
        LaunchUser known = previous == null ? null : user(previous);
        LaunchUser user = known != null && known.personId() == enrolment.personId()
                ? known.with(enrolment.courseId(), enrolment.role())
                : new LaunchUser(
                        enrolment.personId(),
                        launch.platform().id(),
                        enrolment.displayName(),
                        Map.of(enrolment.courseId(), enrolment.role()));
        Session session = repository.createSession();
        if (previous != null) {
            handOn(previous, session);
            previous.invalidate(); // deleted in this transaction; the filter forgets it
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(new LaunchAuthentication(user));
        SecurityContextHolder.setContext(context);
        session.setAttribute(CONTEXT, context);
        repository.save(session);
        String id = session.getId();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                request.setAttribute(SessionConfiguration.LAUNCH_SESSION, id);
                ids.setSessionId(request, response, id);
            }
        });
        return id;
    }

    /** The previous session's attributes, but its login; one that cannot be read any more is left behind. */
    private static void handOn(HttpSession previous, Session next) {
        for (String name : Collections.list(previous.getAttributeNames())) {
            if (CONTEXT.equals(name)) {
                continue;
            }
            try {
                next.setAttribute(name, previous.getAttribute(name));
            } catch (RuntimeException unreadable) {
                log.info("Session attribute {} could not be read and is not carried into the new session", name);
            }
        }
    }

    private static LaunchUser user(HttpSession session) {
        try {
            if (session.getAttribute(CONTEXT) instanceof SecurityContext context
                    && context.getAuthentication() instanceof LaunchAuthentication authentication) {
                return authentication.getPrincipal();
            }
        } catch (RuntimeException unreadable) {
            log.info("The previous session's login could not be read; the launch starts afresh");
        }
        return null;
    }

    /** The landing URL carries the session id, for browsers that will not send the cookie back. */
    public static String withSessionId(String path, String sessionId) {
        return path + (path.contains("?") ? "&" : "?") + SessionConfiguration.URL_PARAMETER + "="
                + URLEncoder.encode(sessionId, StandardCharsets.UTF_8);
    }
}
