package dev.berth.admin;

import dev.berth.audit.AuditLog;
import dev.berth.lti.KeyProperties;
import dev.berth.lti.ToolKey;
import dev.berth.lti.ToolKeys;
import java.security.Principal;
import java.time.Duration;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Berth's signing keys with their rotation, and the audit log. */
@Controller
@RequestMapping("/admin")
class KeyPages {

    static final int AUDIT_ENTRIES = 200;

    private final ToolKeys keys;
    private final KeyProperties properties;
    private final AuditLog audit;

    KeyPages(ToolKeys keys, KeyProperties properties, AuditLog audit) {
        this.keys = keys;
        this.properties = properties;
        this.audit = audit;
    }

    @GetMapping("/keys")
    String keys(Model model) {
        model.addAttribute("keys", keys.list());
        model.addAttribute("publishLead", HumanDuration.of(properties.publishLead()));
        model.addAttribute("maxAge", HumanDuration.of(properties.maxAge()));
        return "admin/keys";
    }

    @PostMapping("/keys/rotate")
    String rotate(Principal admin, RedirectAttributes redirect) {
        ToolKey key = keys.rotate(admin.getName(), "rotated from the admin page");
        redirect.addFlashAttribute(Flash.ATTRIBUTE, Flash.ok("admin.keys.rotated", key.kid()));
        return "redirect:/admin/keys";
    }

    @GetMapping("/audit")
    String audit(Model model) {
        model.addAttribute("entries", audit.recent(AUDIT_ENTRIES));
        model.addAttribute("limit", AUDIT_ENTRIES);
        return "admin/audit";
    }

    /**
     * A duration as a message key and amount in its largest whole unit ("1 hour", "90 minutes").
     *
     * @param unit one of {@code days}, {@code hours}, {@code minutes}, {@code seconds}
     */
    record HumanDuration(long amount, String unit) {

        static HumanDuration of(Duration duration) {
            if (!duration.isZero() && duration.toSeconds() % 86_400 == 0) {
                return new HumanDuration(duration.toDays(), "days");
            }
            if (!duration.isZero() && duration.toSeconds() % 3_600 == 0) {
                return new HumanDuration(duration.toHours(), "hours");
            }
            if (duration.toSeconds() % 60 == 0) {
                return new HumanDuration(duration.toMinutes(), "minutes");
            }
            return new HumanDuration(duration.toSeconds(), "seconds");
        }

        public String code() {
            return "admin.duration." + unit;
        }
    }
}
