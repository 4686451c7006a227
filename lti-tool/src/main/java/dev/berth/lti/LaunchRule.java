package dev.berth.lti;

import java.text.ParseException;
import java.util.List;

/** One named rule of launch validation; adds a failure for each way the launch breaks it. */
@FunctionalInterface
interface LaunchRule {

    void check(LaunchContext launch, List<LaunchFailure> failures) throws ParseException;
}
