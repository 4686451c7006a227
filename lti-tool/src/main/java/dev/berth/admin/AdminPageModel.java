package dev.berth.admin;

import dev.berth.lti.LtiProperties;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What every admin page shows: Berth's own values to paste into an LMS, and times in UTC. */
@ControllerAdvice(assignableTypes = {PlatformPages.class, KeyPages.class, EnvironmentPages.class})
class AdminPageModel {

    private final LtiProperties lti;

    AdminPageModel(LtiProperties lti) {
        this.lti = lti;
    }

    @ModelAttribute("tool")
    ToolValues tool() {
        return ToolValues.of(lti);
    }

    @ModelAttribute("utc")
    Utc utc() {
        return Utc.INSTANCE;
    }

    /** Formats instants for the pages; servers and admins may sit in different time zones, so UTC it is. */
    static final class Utc {

        static final Utc INSTANCE = new Utc();

        private static final DateTimeFormatter FORMAT =
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

        public String format(Instant instant) {
            return instant == null ? "" : FORMAT.format(instant);
        }
    }
}
