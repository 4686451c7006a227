package dev.berth.admin;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The admin sign-in page; Spring Security's form login handles the post and the logout. */
@Controller
class AdminLoginController {

    /** {@code ?error} after a refused sign-in, {@code ?logout} after signing out (Spring Security's redirects). */
    @GetMapping("/admin/login")
    String login(
            @RequestParam(required = false) String error, @RequestParam(required = false) String logout, Model model) {
        model.addAttribute("failed", error != null);
        model.addAttribute("signedOut", logout != null);
        return "admin/login";
    }
}
