package dev.berth.bench;

import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * How the launch benchmark generates launches and collects their figures: {@link JavaLaunchDriver} in this JVM,
 * or {@link NodeLaunchDriver} in a Node.js child process. Everything else (Berth, the JWKS, the snapshots, the
 * report) is the same for both.
 */
interface LaunchDriver {

    /** What generated the load, for the report's "Load:" line. */
    String description();

    /** The CPU table's row for the load generator: the processes {@link #generatorCpuSeconds()} counts. */
    String generatorLabel();

    /** CPU seconds used so far by the load generator: this JVM and any process the driver started. */
    double generatorCpuSeconds();

    /** Runs the warm-up and the measured window, telling {@code window} when it opens and closes. */
    Launches run(Window window) throws Exception;

    /** The harness's side of a run: progress lines, and the snapshots when the measured window opens and closes. */
    interface Window {

        void progress(long completed, long errors);

        void open();

        void close();
    }

    /**
     * The launches of a run: latency in µs of launches that started after the warm-up and ended before the
     * window closed, launches started in the window, and errors by kind (measured and warm-up apart).
     */
    record Launches(
            Histogram total,
            Histogram login,
            Histogram sign,
            Histogram launch,
            Map<String, Long> errors,
            Map<String, Long> warmupErrors,
            List<String> errorSamples,
            long started) {}
}
