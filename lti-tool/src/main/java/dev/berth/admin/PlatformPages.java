package dev.berth.admin;

import dev.berth.lti.DuplicatePlatformException;
import dev.berth.lti.Platform;
import dev.berth.lti.PlatformDraft;
import dev.berth.lti.PlatformRegistry;
import dev.berth.provisioning.EnvironmentCatalogue;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The admin dashboard and the platform pages: list, register, edit, enable or disable, delete. */
@Controller
@RequestMapping("/admin")
class PlatformPages {

    static final String FORM = "platform";

    private final PlatformRegistry registry;
    private final PlatformValidation validation;
    private final ObjectProvider<EnvironmentCatalogue> environments;

    PlatformPages(
            PlatformRegistry registry,
            PlatformValidation validation,
            ObjectProvider<EnvironmentCatalogue> environments) {
        this.registry = registry;
        this.validation = validation;
        this.environments = environments;
    }

    @GetMapping
    String dashboard(Model model) {
        model.addAttribute("platforms", registry.all());
        EnvironmentCatalogue catalogue = environments.getIfAvailable();
        model.addAttribute("environmentsShown", catalogue != null);
        model.addAttribute("environmentsNotInstalled", catalogue == null ? 0 : catalogue.notInstalledCount());
        return "admin/dashboard";
    }

    @GetMapping("/platforms/new")
    String newPlatform(Model model) {
        model.addAttribute(FORM, new PlatformForm());
        return "admin/platform-form";
    }

    @PostMapping("/platforms")
    String create(
            @ModelAttribute(FORM) PlatformForm form,
            BindingResult result,
            Principal admin,
            RedirectAttributes redirect) {
        PlatformDraft draft = form.toDraft();
        if (!valid(draft, result)) {
            return "admin/platform-form";
        }
        try {
            Platform platform = registry.create(draft, "admin", admin.getName());
            redirect.addFlashAttribute(Flash.ATTRIBUTE, Flash.ok("admin.platform.created", platform.name()));
            return "redirect:/admin/platforms/" + platform.id();
        } catch (DuplicatePlatformException e) {
            rejectDuplicate(result, form);
            return "admin/platform-form";
        }
    }

    @GetMapping("/platforms/{id}")
    String platform(@PathVariable long id, Model model) {
        model.addAttribute("platform", require(id));
        return "admin/platform";
    }

    @GetMapping("/platforms/{id}/edit")
    String edit(@PathVariable long id, Model model) {
        Platform platform = require(id);
        model.addAttribute("existing", platform);
        model.addAttribute(FORM, PlatformForm.of(platform));
        return "admin/platform-form";
    }

    @PostMapping("/platforms/{id}")
    String update(
            @PathVariable long id,
            @ModelAttribute(FORM) PlatformForm form,
            BindingResult result,
            Principal admin,
            Model model,
            RedirectAttributes redirect) {
        Platform existing = require(id);
        model.addAttribute("existing", existing);
        PlatformDraft draft = form.toDraft();
        if (!valid(draft, result)) {
            return "admin/platform-form";
        }
        try {
            registry.update(id, draft, sourceAfterEdit(existing, "admin"), admin.getName())
                    .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        } catch (DuplicatePlatformException e) {
            rejectDuplicate(result, form);
            return "admin/platform-form";
        }
        redirect.addFlashAttribute(Flash.ATTRIBUTE, Flash.ok("admin.platform.updated", draft.name()));
        return "redirect:/admin/platforms/" + id;
    }

    @PostMapping("/platforms/{id}/enabled")
    String enable(@PathVariable long id, @RequestParam boolean enabled, Principal admin, RedirectAttributes redirect) {
        Platform existing = require(id);
        registry.update(id, PlatformDraft.of(existing).withEnabled(enabled), existing.source(), admin.getName());
        redirect.addFlashAttribute(
                Flash.ATTRIBUTE,
                Flash.ok(enabled ? "admin.platform.enabled" : "admin.platform.disabled", existing.name()));
        return "redirect:/admin/platforms/" + id;
    }

    @PostMapping("/platforms/{id}/delete")
    String delete(@PathVariable long id, Principal admin, RedirectAttributes redirect) {
        Platform existing = require(id);
        return switch (registry.delete(id, admin.getName())) {
            case DELETED -> {
                redirect.addFlashAttribute(Flash.ATTRIBUTE, Flash.ok("admin.platform.deleted", existing.name()));
                yield "redirect:/admin";
            }
            case HAS_COURSES -> {
                redirect.addFlashAttribute("hasCourses", true);
                redirect.addFlashAttribute(Flash.ATTRIBUTE, Flash.error("admin.platform.hasCourses", existing.name()));
                yield "redirect:/admin/platforms/" + id;
            }
            case NOT_FOUND -> throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        };
    }

    /**
     * Configuration keeps owning the rows it created (its next start overwrites them again, and the pages say
     * so); any other row now belongs to the channel that last edited it.
     */
    static String sourceAfterEdit(Platform existing, String channel) {
        return "config".equals(existing.source()) ? "config" : channel;
    }

    private boolean valid(PlatformDraft draft, BindingResult result) {
        Map<String, List<String>> errors = validation.errors(draft);
        errors.forEach((field, messages) -> messages.forEach(message ->
                result.addError(new FieldError(FORM, field, value(result, field), false, null, null, message))));
        return errors.isEmpty();
    }

    private static Object value(BindingResult result, String field) {
        try {
            return result.getFieldValue(field);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void rejectDuplicate(BindingResult result, PlatformForm form) {
        result.rejectValue("clientId", "platform.duplicate", new Object[] {form.getIssuer()}, null);
    }

    private Platform require(long id) {
        return registry.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }
}
