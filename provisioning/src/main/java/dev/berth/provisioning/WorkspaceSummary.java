package dev.berth.provisioning;

import java.time.Instant;

/**
 * A workspace with what staff pages show besides its state.
 *
 * @param homeBytes the home's size as last measured by the engine ({@link HomeSizes}), null before the first
 *     measurement or when the backend cannot tell
 * @param homeMeasuredAt when it was measured, null before the first measurement
 */
public record WorkspaceSummary(Workspace workspace, Long homeBytes, Instant homeMeasuredAt) {}
