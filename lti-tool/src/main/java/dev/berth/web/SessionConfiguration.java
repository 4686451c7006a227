package dev.berth.web;

import dev.berth.lti.LtiProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.web.http.CookieHttpSessionIdResolver;
import org.springframework.session.web.http.DefaultCookieSerializer;
import org.springframework.session.web.http.HttpSessionIdResolver;
import org.springframework.session.web.http.SessionRepositoryFilter;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Berth sessions live in PostgreSQL (Spring Session JDBC) and work inside an LMS iframe:
 *
 * <ul>
 *   <li>the cookie is {@code SameSite=None; Secure; Partitioned}, which browsers keep in a third-party iframe
 *       even when they block third-party cookies (CHIPS);
 *   <li>where the browser refuses even that (Safari), the session id travels in the URL: the launch redirect
 *       carries it as {@value #URL_PARAMETER}, and every link and form on a page served without the cookie
 *       carries it on (through {@link HttpServletResponse#encodeURL}, which Thymeleaf calls for each link).
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
public class SessionConfiguration {

    /** The query parameter that carries the session id when cookies do not come back. */
    public static final String URL_PARAMETER = "bsid";

    public static final String COOKIE_NAME = "BERTH_SESSION";

    /**
     * Request attribute set by a launch that replaces the browser's session ({@code LaunchSessions}): empty while
     * the launch runs, then the new session's id once it committed. On such a request the cookie is written only
     * for that session and never expired, whatever Spring Session's filter makes of the old session at the end.
     */
    public static final String LAUNCH_SESSION = SessionConfiguration.class.getName() + ".launchSession";

    @Bean
    HttpSessionIdResolver httpSessionIdResolver(LtiProperties properties) {
        DefaultCookieSerializer serializer = new DefaultCookieSerializer();
        serializer.setCookieName(COOKIE_NAME);
        serializer.setCookiePath("/");
        serializer.setUseHttpOnlyCookie(true);
        serializer.setUseSecureCookie(true);
        serializer.setSameSite("None");
        serializer.setPartitioned(true);
        serializer.setUseBase64Encoding(false);
        CookieHttpSessionIdResolver cookies = new CookieHttpSessionIdResolver();
        cookies.setCookieSerializer(serializer);
        return new CookieOrUrlSessionIdResolver(cookies);
    }

    /**
     * The application's transaction template, which Spring Session uses too: with the default propagation
     * (REQUIRED) session writes join a transaction in progress, so a launch commits its rows and its session
     * together ({@code LaunchSessions}); anywhere else they run in a transaction of their own, as before. Without
     * this bean Spring Session would open a new transaction for every write (REQUIRES_NEW).
     */
    @Bean
    @Qualifier("springSessionTransactionOperations")
    TransactionTemplate transactionTemplate(PlatformTransactionManager transactions) {
        return new TransactionTemplate(transactions);
    }

    @Bean
    FilterRegistrationBean<SessionUrlFilter> sessionUrlFilter() {
        FilterRegistrationBean<SessionUrlFilter> registration = new FilterRegistrationBean<>(new SessionUrlFilter());
        registration.setOrder(SessionRepositoryFilter.DEFAULT_ORDER + 1);
        return registration;
    }

    /**
     * The session id in the query string. Never from a form body: reading parameters would parse every
     * post, including oversized ones that must be refused before anything reads them.
     */
    static String fromQuery(HttpServletRequest request) {
        String query = request.getQueryString();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith(URL_PARAMETER + "=")) {
                try {
                    return URLDecoder.decode(pair.substring(URL_PARAMETER.length() + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException malformed) {
                    return null; // not a session id Berth issued: the request simply has no session
                }
            }
        }
        return null;
    }

    /** Reads the session id from the cookie, else from the URL parameter; writes it to the cookie. */
    static final class CookieOrUrlSessionIdResolver implements HttpSessionIdResolver {

        private final CookieHttpSessionIdResolver cookies;

        CookieOrUrlSessionIdResolver(CookieHttpSessionIdResolver cookies) {
            this.cookies = cookies;
        }

        @Override
        public List<String> resolveSessionIds(HttpServletRequest request) {
            List<String> ids = new ArrayList<>(cookies.resolveSessionIds(request));
            String fromUrl = fromQuery(request);
            if (fromUrl != null && !fromUrl.isBlank() && !ids.contains(fromUrl)) {
                ids.add(fromUrl);
            }
            return ids;
        }

        @Override
        public void setSessionId(HttpServletRequest request, HttpServletResponse response, String sessionId) {
            Object launched = request.getAttribute(LAUNCH_SESSION);
            if (launched == null || launched.equals(sessionId)) {
                cookies.setSessionId(request, response, sessionId);
            }
        }

        @Override
        public void expireSession(HttpServletRequest request, HttpServletResponse response) {
            if (request.getAttribute(LAUNCH_SESSION) == null) {
                cookies.expireSession(request, response);
            }
        }
    }

    /**
     * On a request that reached its session through the URL, not the cookie, keeps the session id in every
     * URL the page writes.
     */
    static final class SessionUrlFilter extends OncePerRequestFilter {

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            String fromUrl = fromQuery(request);
            if (fromUrl == null || hasCookie(request, fromUrl)) {
                chain.doFilter(request, response);
                return;
            }
            chain.doFilter(request, new HttpServletResponseWrapper(response) {
                @Override
                public String encodeURL(String url) {
                    return withSession(fromUrl, super.encodeURL(url));
                }

                @Override
                public String encodeRedirectURL(String url) {
                    return withSession(fromUrl, super.encodeRedirectURL(url));
                }
            });
        }

        private static boolean hasCookie(HttpServletRequest request, String sessionId) {
            Cookie[] cookies = request.getCookies();
            if (cookies == null) {
                return false;
            }
            for (Cookie cookie : cookies) {
                if (COOKIE_NAME.equals(cookie.getName()) && sessionId.equals(cookie.getValue())) {
                    return true;
                }
            }
            return false;
        }

        static String withSession(String sessionId, String url) {
            if (url.contains(URL_PARAMETER + "=") || !isLocal(url)) {
                return url;
            }
            int hash = url.indexOf('#');
            String fragment = hash >= 0 ? url.substring(hash) : "";
            String base = hash >= 0 ? url.substring(0, hash) : url;
            return base + (base.contains("?") ? "&" : "?") + URL_PARAMETER + "="
                    + URLEncoder.encode(sessionId, StandardCharsets.UTF_8) + fragment;
        }

        private static boolean isLocal(String url) {
            return url.startsWith("/") && !url.startsWith("//");
        }
    }
}
