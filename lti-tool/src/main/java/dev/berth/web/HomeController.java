package dev.berth.web;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The front page, for anyone who reaches Berth outside an LMS. */
@Controller
class HomeController {

    @GetMapping("/")
    String home() {
        return "index";
    }
}
