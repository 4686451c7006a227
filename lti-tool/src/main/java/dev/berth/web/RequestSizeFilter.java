package dev.berth.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.MessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses oversized form posts with a 413 page of Berth's before anything parses them. Without it, the first
 * parameter lookup would make Tomcat answer with its bare error page.
 */
@Configuration(proxyBeanMethods = false)
class RequestSizeFilter {

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> requestSizeLimit(
            @Value("${server.tomcat.max-http-form-post-size:2MB}") DataSize limit,
            @Value("${spring.servlet.multipart.max-request-size:10MB}") DataSize uploadLimit,
            MessageSource messages) {
        FilterRegistrationBean<OncePerRequestFilter> registration =
                new FilterRegistrationBean<>(new OncePerRequestFilter() {
                    @Override
                    protected void doFilterInternal(
                            HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                            throws ServletException, IOException {
                        String type = request.getContentType();
                        boolean form = type != null
                                && type.startsWith("application/x-www-form-urlencoded")
                                && request.getContentLengthLong() > limit.toBytes();
                        boolean upload = type != null
                                && type.startsWith("multipart/form-data")
                                && request.getContentLengthLong() > uploadLimit.toBytes();
                        if (form || upload) {
                            // Answered here, not through the error page: an error dispatch would parse the body.
                            response.setHeader("Connection", "close");
                            Notices.write(
                                    response,
                                    HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
                                    messages,
                                    request.getLocale(),
                                    "error.413",
                                    upload ? "error.413.upload.help" : "error.413.help");
                            return;
                        }
                        chain.doFilter(request, response);
                    }
                });
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
