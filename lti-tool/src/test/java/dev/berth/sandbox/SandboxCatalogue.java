package dev.berth.sandbox;

import dev.berth.sandbox.SandboxPlatform.Role;
import dev.berth.sandbox.SandboxPlatform.SandboxCourse;
import dev.berth.sandbox.SandboxPlatform.SandboxLink;
import dev.berth.sandbox.SandboxPlatform.SandboxPerson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * The sandbox's three LMSs, their courses, assignments and people. Every identifier is derived from fixed
 * names, so a restart of the sandbox sends Berth the same users and courses as before, in the formats the
 * real LMSs use: Canvas UUID subs and 40-hex login hints, Moodle numeric user ids, Brightspace
 * {@code tenant_user} subs and GUID deployments.
 */
final class SandboxCatalogue {

    private record Character(String key, String givenName, String familyName, Role role) {}

    private static final List<Character> CAST = List.of(
            new Character("amara", "Amara", "Okafor", Role.STUDENT),
            new Character("lukas", "Lukas", "Schmidt", Role.STUDENT),
            new Character("mei", "Mei", "Chen", Role.STUDENT),
            new Character("priya", "Priya", "Raman", Role.INSTRUCTOR),
            new Character("jonas", "Jonas", "Berg", Role.TEACHING_ASSISTANT));

    private static final String BRIGHTSPACE_TENANT = "8e2f4b3a-5d7c-4e1f-9a6b-0c2d4e6f8a1b";

    private final List<SandboxPlatform> platforms = List.of(canvas(), moodle(), brightspace());

    List<SandboxPlatform> platforms() {
        return platforms;
    }

    Optional<SandboxPlatform> platform(String key) {
        return platforms.stream().filter(p -> p.key().equals(key)).findFirst();
    }

    private static SandboxPlatform canvas() {
        BiFunction<Character, Integer, SandboxPerson> person = (c, i) -> {
            String canvasUserId = String.valueOf(1001 + i);
            return new SandboxPerson(
                    c.key(),
                    UUID.nameUUIDFromBytes(("canvas-user:" + c.key()).getBytes(StandardCharsets.UTF_8))
                            .toString(),
                    sha1("canvas-login:" + c.key()),
                    c.givenName(),
                    c.familyName(),
                    c.role() == Role.TEST_STUDENT ? null : email(c),
                    c.role(),
                    Map.of(
                            "canvas_user_id",
                            canvasUserId,
                            "lti11_legacy_user_id",
                            sha1("canvas-legacy:" + c.key()),
                            "sis_id",
                            c.role() == Role.TEST_STUDENT ? "" : "SIS-" + canvasUserId));
        };
        List<Character> cast = new ArrayList<>(CAST);
        // Canvas's "Student view" launches as this user: a learner with a name and no email.
        cast.add(new Character("test-student", "Test", "Student", Role.TEST_STUDENT));
        return new SandboxPlatform(
                "canvas",
                "Canvas",
                "canvas",
                "canvas",
                "cloud",
                "10000000000042",
                SandboxPlatform.Login.AUTO_POST,
                null,
                null,
                3600,
                List.of(
                        new SandboxCourse(
                                "cs101",
                                sha1("canvas-course:cs101"),
                                "CS 101",
                                "Introduction to Programming",
                                "12:8865aa05b4b79b64a91a86042e43af5ea8ae79eb",
                                "SIS-CS101-A",
                                "Section A",
                                List.of(
                                        new SandboxLink(
                                                "lab1",
                                                sha1("canvas-link:cs101-lab1"),
                                                "Lab 1: Hello, shell",
                                                "Your first programs, run in a terminal."),
                                        new SandboxLink(
                                                "project",
                                                sha1("canvas-link:cs101-project"),
                                                "Project: Text adventure",
                                                "A small game in Python, built over three weeks."),
                                        new SandboxLink(
                                                "notebook",
                                                sha1("canvas-link:cs101-notebook"),
                                                "Notebook: Python warm-up",
                                                "Variables and loops in a Jupyter notebook.",
                                                "jupyter")),
                                people(cast, person)),
                        // A second deployment of Berth in the same Canvas (an account-level install, say).
                        new SandboxCourse(
                                "ds210",
                                sha1("canvas-course:ds210"),
                                "DS 210",
                                "Data Science with Python",
                                "27:4f0c2d1b8e9a7c6d5e4f3a2b1c0d9e8f7a6b5c4d",
                                "SIS-DS210-01",
                                "Lecture 01",
                                List.of(
                                        new SandboxLink(
                                                "notebook1",
                                                sha1("canvas-link:ds210-notebook1"),
                                                "Notebook 1: Pandas basics",
                                                "Load, clean and plot a first data set.",
                                                "jupyter"),
                                        new SandboxLink(
                                                "shell",
                                                sha1("canvas-link:ds210-shell"),
                                                "Lab 0: Files in the shell",
                                                "Find and move data files in a terminal.")),
                                people(cast, person))));
    }

    private static SandboxPlatform moodle() {
        BiFunction<Character, Integer, SandboxPerson> person = (c, i) -> {
            String userId = String.valueOf(5 + i);
            boolean anonymous = c.role() == Role.ANONYMOUS;
            return new SandboxPerson(
                    c.key(),
                    userId,
                    userId,
                    anonymous ? null : c.givenName(),
                    anonymous ? null : c.familyName(),
                    anonymous ? null : email(c),
                    c.role(),
                    anonymous
                            ? Map.of()
                            : Map.of(
                                    "username",
                                    c.givenName().toLowerCase(Locale.ROOT) + "."
                                            + c.familyName().toLowerCase(Locale.ROOT),
                                    "idnumber",
                                    "M" + (24000 + i)));
        };
        List<Character> cast = new ArrayList<>(CAST);
        cast.add(new Character("anonymous", null, null, Role.ANONYMOUS));
        return new SandboxPlatform(
                "moodle",
                "Moodle",
                "moodle",
                "moodle",
                "4.5.2 (Build: 20250210)",
                "kR7xW2pQ9mZ4vN1",
                SandboxPlatform.Login.AUTO_POST,
                null,
                null,
                60,
                List.of(new SandboxCourse(
                        "math204",
                        "14",
                        "MATH 204",
                        "Numerical Methods",
                        "3",
                        "MATH204-2025",
                        "2025 cohort",
                        List.of(
                                new SandboxLink(
                                        "roots", "7", "Assignment 1: Root finding", "Bisection and Newton's method."),
                                new SandboxLink(
                                        "ode",
                                        "8",
                                        "Assignment 2: Solving ODEs",
                                        "Euler and Runge–Kutta methods, in a notebook.",
                                        "jupyter")),
                        people(cast, person))));
    }

    private static SandboxPlatform brightspace() {
        BiFunction<Character, Integer, SandboxPerson> person = (c, i) -> {
            String userId = String.valueOf(230 + i);
            String username = c.givenName().toLowerCase(Locale.ROOT).charAt(0)
                    + c.familyName().toLowerCase(Locale.ROOT);
            return new SandboxPerson(
                    c.key(),
                    BRIGHTSPACE_TENANT + "_" + userId,
                    sha1("brightspace-login:" + c.key()).substring(0, 32),
                    c.givenName(),
                    c.familyName(),
                    email(c),
                    c.role(),
                    Map.of("user_id", userId, "username", username, "org_defined_id", "B" + (700100 + i)));
        };
        return new SandboxPlatform(
                "brightspace",
                "Brightspace",
                "brightspace",
                "desire2learn",
                "20.25.2",
                "6f1c2e4a-93b7-4d8e-a5f0-2b7c9d1e3f46",
                SandboxPlatform.Login.REDIRECT,
                "https://api.brightspace.com/auth/token",
                "https://api.brightspace.com/auth/token",
                3600,
                List.of(new SandboxCourse(
                        "web110",
                        "6606",
                        "WEB 110",
                        "Building for the Web",
                        "b3d1f6a2-7c4e-4f19-8a2d-5e6f7a8b9c0d",
                        "6607",
                        "Section 1",
                        List.of(
                                new SandboxLink(
                                        "portfolio",
                                        "c9a8e7d6-5b4a-4392-8170-6f5e4d3c2b1a",
                                        "Lab: Your portfolio page",
                                        "HTML and CSS for a one-page portfolio."),
                                new SandboxLink(
                                        "analytics",
                                        "d0b9f8e7-6c5b-4a39-8281-7a6f5e4d3c2b",
                                        "Notebook: Visitor analytics",
                                        "Count page visits from a web server log in Jupyter.",
                                        "jupyter")),
                        people(CAST, person))));
    }

    private static List<SandboxPerson> people(
            List<Character> cast, BiFunction<Character, Integer, SandboxPerson> person) {
        List<SandboxPerson> people = new ArrayList<>();
        for (int i = 0; i < cast.size(); i++) {
            people.add(person.apply(cast.get(i), i));
        }
        return List.copyOf(people);
    }

    private static String email(Character c) {
        String domain = c.role().staff() ? "example.edu" : "students.example.edu";
        return c.givenName().toLowerCase(Locale.ROOT) + "." + c.familyName().toLowerCase(Locale.ROOT) + "@" + domain;
    }

    static String sha1(String value) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** For the vendor claims: a map that keeps its order and allows no nulls. */
    static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                map.put((String) keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return map;
    }
}
