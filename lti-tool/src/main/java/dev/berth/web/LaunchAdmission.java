package dev.berth.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.MessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Launches in order. A whole class clicks the assignment link within the same minute; each login initiation
 * and launch post takes a few milliseconds of CPU and a few database round trips. Served all at once they share
 * the CPU and the database between them and every one of them gets slower, some much slower. Admitted a few at
 * a time ({@code berth.launch-concurrency}, by default twice the processors), the rest wait briefly in arrival order,
 * so launches finish in the order they came and no one waits much longer than the rest. A launch that waits
 * longer than {@code berth.launch-queue-timeout} gets a 503 page asking to try again, before anything of it was
 * read or written.
 */
@Configuration(proxyBeanMethods = false)
class LaunchAdmission {

    @Bean
    FilterRegistrationBean<Filter> launchAdmissionFilter(
            @Value("${berth.launch-concurrency:0}") int concurrency,
            @Value("${berth.launch-queue-timeout:10s}") Duration timeout,
            MessageSource messages) {
        int permits = concurrency > 0 ? concurrency : 2 * Runtime.getRuntime().availableProcessors();
        FilterRegistrationBean<Filter> registration =
                new FilterRegistrationBean<>(new Filter(permits, timeout, messages));
        registration.addUrlPatterns("/lti/login", "/lti/launch");
        // Before everything else: a waiting launch holds no session, connection or parsed body.
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    /** At most {@code permits} requests at a time; the others wait their turn, or get a 503 after the timeout. */
    static final class Filter extends OncePerRequestFilter {

        private final Semaphore permits;
        private final Duration timeout;
        private final MessageSource messages;

        Filter(int permits, Duration timeout, MessageSource messages) {
            this.permits = new Semaphore(permits, true);
            this.timeout = timeout;
            this.messages = messages;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            boolean admitted;
            try {
                admitted = permits.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                admitted = false;
            }
            if (!admitted) {
                response.setHeader("Retry-After", "5");
                Notices.write(
                        response,
                        HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                        messages,
                        request.getLocale(),
                        "error.503.launch",
                        "error.503.launch.help");
                return;
            }
            try {
                chain.doFilter(request, response);
            } finally {
                permits.release();
            }
        }
    }
}
