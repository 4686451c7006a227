package dev.berth.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import org.springframework.context.MessageSource;
import org.springframework.web.util.HtmlUtils;

/**
 * A one-paragraph page written straight to the response, for answers given in a filter before Spring MVC (and
 * its error page) would run: an oversized post must not be parsed, a launch turned away must not wait longer.
 */
final class Notices {

    private Notices() {}

    static void write(
            HttpServletResponse response,
            int status,
            MessageSource messages,
            Locale locale,
            String titleKey,
            String helpKey)
            throws IOException {
        String title = HtmlUtils.htmlEscape(messages.getMessage(titleKey, null, locale));
        String help = HtmlUtils.htmlEscape(messages.getMessage(helpKey, null, locale));
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("text/html;charset=UTF-8");
        response.getWriter()
                .write("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                        + "<title>" + title + "</title>"
                        + "<link rel=\"stylesheet\" href=\"/css/berth.css\"></head><body>"
                        + "<header class=\"topbar\"><a class=\"brand\" href=\"/\">Berth</a></header>"
                        + "<main class=\"page narrow\"><div class=\"alert alert-warning\" role=\"alert\">"
                        + "<h1>" + title + "</h1></div><p>" + help + "</p></main></body></html>");
    }
}
