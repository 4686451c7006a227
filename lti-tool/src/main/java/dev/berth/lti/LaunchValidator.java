package dev.berth.lti;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every launch rule and collects every failure, so the error page can list them all. It cannot be
 * built without the audience, nonce and deployment rules: those are the ones a tool most often forgets.
 */
final class LaunchValidator {

    private final List<LaunchRule> rules;

    LaunchValidator(LaunchRule audience, LaunchRule nonce, LaunchRule deployment, List<LaunchRule> others) {
        List<LaunchRule> all = new ArrayList<>();
        all.add(audience);
        all.add(nonce);
        all.add(deployment);
        all.addAll(others);
        this.rules = List.copyOf(all);
    }

    List<LaunchFailure> validate(LaunchContext launch) {
        List<LaunchFailure> failures = new ArrayList<>();
        for (LaunchRule rule : rules) {
            try {
                rule.check(launch, failures);
            } catch (ParseException | ClassCastException e) {
                failures.add(LaunchFailure.of("claim_malformed", e.getMessage()));
            }
        }
        return failures;
    }
}
