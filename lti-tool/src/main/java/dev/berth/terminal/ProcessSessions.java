package dev.berth.terminal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds every process a terminal's shell left behind. A pty shell is the leader of its own session; with job
 * control each pipeline gets its own process group, so killing the shell's group alone would miss background
 * jobs. On Linux the session id in /proc catches them even after the shell died and they were re-parented;
 * elsewhere the descendants recorded before the hang-up are the best available.
 */
final class ProcessSessions {

    private ProcessSessions() {}

    static Set<ProcessHandle> members(long sessionId, List<ProcessHandle> knownDescendants) {
        Set<ProcessHandle> members = new HashSet<>();
        knownDescendants.stream().filter(ProcessHandle::isAlive).forEach(members::add);
        if (Files.isDirectory(Path.of("/proc/self"))) {
            ProcessHandle.allProcesses()
                    .filter(process -> sessionOf(process.pid()).orElse(-1L) == sessionId)
                    .forEach(members::add);
        }
        members.remove(ProcessHandle.current());
        return members;
    }

    static void killAll(long sessionId, List<ProcessHandle> knownDescendants) {
        members(sessionId, knownDescendants).forEach(ProcessHandle::destroyForcibly);
    }

    /** Field 6 of /proc/PID/stat; the command name (field 2) may itself hold spaces and parentheses. */
    static Optional<Long> sessionOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Optional.of(Long.parseLong(fields[3]));
        } catch (IOException | RuntimeException gone) {
            return Optional.empty();
        }
    }
}
