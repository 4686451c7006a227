package dev.berth.admin;

import dev.berth.audit.AuditLog;
import dev.berth.provisioning.DuplicateEnvironmentException;
import dev.berth.provisioning.EnvironmentAvailability;
import dev.berth.provisioning.EnvironmentCatalogue;
import dev.berth.provisioning.EnvironmentDefinition;
import jakarta.servlet.http.HttpServletResponse;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The environment catalogue: every environment with whether this server can run it, and a form to add or edit
 * one. Bad input re-renders the form with a 400 and saves nothing; every change is audited.
 */
@ConditionalOnBooleanProperty("berth.workspaces.enabled")
@Controller
@RequestMapping("/admin/environments")
class EnvironmentPages {

    static final String FORM = "environment";
    private static final String FORM_VIEW = "admin/environment-form";

    private final EnvironmentCatalogue catalogue;
    private final AuditLog audit;

    EnvironmentPages(EnvironmentCatalogue catalogue, AuditLog audit) {
        this.catalogue = catalogue;
        this.audit = audit;
    }

    @GetMapping
    String list(Model model) {
        List<EnvironmentCatalogue.Entry> entries = catalogue.entries();
        model.addAttribute("entries", entries);
        model.addAttribute(
                "notInstalled",
                entries.stream()
                        .filter(entry -> entry.availability().status() == EnvironmentAvailability.Status.NOT_INSTALLED)
                        .count());
        return "admin/environments";
    }

    @GetMapping("/new")
    String newEnvironment(Model model) {
        model.addAttribute(FORM, new EnvironmentForm());
        return FORM_VIEW;
    }

    @PostMapping
    String create(
            @ModelAttribute(FORM) EnvironmentForm form,
            BindingResult result,
            Principal admin,
            HttpServletResponse response,
            RedirectAttributes redirect) {
        EnvironmentValidation.Result validated = EnvironmentValidation.validate(form, null);
        if (!validated.valid()) {
            return invalid(validated, result, response);
        }
        EnvironmentDefinition environment = validated.environment().orElseThrow();
        try {
            catalogue.create(environment);
        } catch (DuplicateEnvironmentException e) {
            result.rejectValue("key", "environment.error.duplicate", new Object[] {environment.key()}, null);
            response.setStatus(HttpStatus.CONFLICT.value());
            return FORM_VIEW;
        }
        audit.record(admin.getName(), "environment.create", target(environment.key()), summary(environment));
        redirect.addFlashAttribute(Flash.ATTRIBUTE, Flash.ok("admin.environment.created", environment.name()));
        return "redirect:/admin/environments";
    }

    @GetMapping("/{key}/edit")
    String edit(@PathVariable String key, Model model) {
        EnvironmentDefinition existing = require(key);
        model.addAttribute("existing", existing);
        model.addAttribute(FORM, EnvironmentForm.of(existing));
        return FORM_VIEW;
    }

    @PostMapping("/{key}")
    String update(
            @PathVariable String key,
            @ModelAttribute(FORM) EnvironmentForm form,
            BindingResult result,
            Principal admin,
            Model model,
            HttpServletResponse response,
            RedirectAttributes redirect) {
        EnvironmentDefinition existing = require(key);
        model.addAttribute("existing", existing);
        EnvironmentValidation.Result validated = EnvironmentValidation.validate(form, key);
        if (!validated.valid()) {
            return invalid(validated, result, response);
        }
        EnvironmentDefinition environment = validated.environment().orElseThrow();
        catalogue.update(key, environment).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        audit.record(admin.getName(), "environment.update", target(key), summary(environment));
        redirect.addFlashAttribute(Flash.ATTRIBUTE, Flash.ok("admin.environment.updated", environment.name()));
        return "redirect:/admin/environments";
    }

    @PostMapping("/{key}/enabled")
    String enable(
            @PathVariable String key, @RequestParam boolean enabled, Principal admin, RedirectAttributes redirect) {
        EnvironmentDefinition existing = require(key);
        catalogue.setEnabled(key, enabled).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        audit.record(
                admin.getName(),
                enabled ? "environment.enable" : "environment.disable",
                target(key),
                Map.of("name", existing.name()));
        redirect.addFlashAttribute(
                Flash.ATTRIBUTE,
                Flash.ok(enabled ? "admin.environment.enabled" : "admin.environment.disabled", existing.name()));
        return "redirect:/admin/environments";
    }

    static String target(String key) {
        return "environment:" + key;
    }

    /** What the audit keeps of a change: enough to see what was set, not the whole row. */
    static Map<String, Object> summary(EnvironmentDefinition environment) {
        return Map.of(
                "name", environment.name(),
                "kind", environment.kind(),
                "command", environment.command() == null ? "" : String.join(" ", environment.command()),
                "image", environment.image() == null ? "" : environment.image(),
                "port", environment.port(),
                "cpuMillis", environment.cpuMillis(),
                "memoryMib", environment.memoryMib(),
                "idleTimeoutSeconds", environment.idleTimeoutSeconds(),
                "enabled", environment.enabled());
    }

    private static String invalid(
            EnvironmentValidation.Result validated, BindingResult result, HttpServletResponse response) {
        validated.errors().forEach((field, codes) -> codes.forEach(code -> result.rejectValue(field, code)));
        response.setStatus(HttpStatus.BAD_REQUEST.value());
        return FORM_VIEW;
    }

    private EnvironmentDefinition require(String key) {
        return catalogue
                .find(key)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND))
                .environment();
    }
}
