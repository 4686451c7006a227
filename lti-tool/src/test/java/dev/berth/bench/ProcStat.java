package dev.berth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time from Linux's {@code /proc}: of one process, and of the whole machine. */
final class ProcStat {

    /** Clock ticks per second of {@code /proc} times; 100 on every Linux Berth runs on. */
    private static final double TICKS = 100.0;

    private ProcStat() {}

    /** User plus system CPU seconds of a process; 0 when it is gone. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may hold spaces; fields after it are counted from its closing ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Busy and total CPU seconds of the machine, all cores together. */
    record Machine(double busy, double total) {

        static Machine now() {
            try {
                String[] fields =
                        Files.readAllLines(Path.of("/proc/stat")).getFirst().split("\\s+");
                long total = 0;
                for (int i = 1; i < fields.length && i <= 8; i++) {
                    total += Long.parseLong(fields[i]);
                }
                long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
                return new Machine((total - idle) / TICKS, total / TICKS);
            } catch (IOException | RuntimeException e) {
                return new Machine(0, 0);
            }
        }

        Machine minus(Machine earlier) {
            return new Machine(busy - earlier.busy, total - earlier.total);
        }
    }
}
