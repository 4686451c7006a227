package dev.berth.course;

import dev.berth.lti.LtiLaunch;
import dev.berth.web.SessionConfiguration;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Component;

/** Opens the Berth session of a launch: a fresh session id every time, so no id outlives a launch. */
@Component
public class LaunchSessions {

    private final SecurityContextRepository repository = new HttpSessionSecurityContextRepository();

    public String open(
            LtiLaunch launch, Courses.Enrolment enrolment, HttpServletRequest request, HttpServletResponse response) {
        LaunchUser previous = current(request);
        LaunchUser user = previous != null && previous.personId() == enrolment.personId()
                ? previous.with(enrolment.courseId(), enrolment.role())
                : new LaunchUser(
                        enrolment.personId(),
                        launch.platform().id(),
                        enrolment.displayName(),
                        Map.of(enrolment.courseId(), enrolment.role()));
        HttpSession session = request.getSession(false);
        if (session != null) {
            request.changeSessionId();
        } else {
            session = request.getSession(true);
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(new LaunchAuthentication(user));
        SecurityContextHolder.setContext(context);
        repository.saveContext(context, request, response);
        return request.getSession().getId();
    }

    private static LaunchUser current(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null) {
            return null;
        }
        Object stored = session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
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
