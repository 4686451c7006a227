package dev.berth.admin;

import java.io.Serializable;
import java.util.List;

/**
 * A one-time message shown after a Post/Redirect/Get, as a message key and its arguments. Serializable, since
 * flash attributes travel in the (JDBC) session between the post and the get.
 *
 * @param kind {@code ok}, {@code warning} or {@code error}: the alert style
 */
record Flash(String kind, String code, List<String> args) implements Serializable {

    static final String ATTRIBUTE = "flash";

    static Flash ok(String code, String... args) {
        return new Flash("ok", code, List.of(args));
    }

    static Flash error(String code, String... args) {
        return new Flash("error", code, List.of(args));
    }

    public Object[] arguments() {
        return args.toArray();
    }
}
