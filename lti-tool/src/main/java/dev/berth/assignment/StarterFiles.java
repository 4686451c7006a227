package dev.berth.assignment;

import dev.berth.audit.AuditLog;
import dev.berth.course.LaunchUser;
import dev.berth.provisioning.StarterArchives;
import dev.berth.provisioning.StarterArchives.StarterArchive;
import dev.berth.workspace.StarterArchiveLookup;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The starter files of an assignment: a .zip archive staff upload, kept by the engine ({@link StarterArchives}) and
 * named here by id. A workspace created for the assignment starts with them; existing homes are left alone, and get
 * them only through "reset to starter files". Absent when workspaces are off.
 */
@Component
public class StarterFiles implements StarterArchiveLookup {

    private final JdbcClient jdbc;
    private final ObjectProvider<StarterArchives> archives;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    StarterFiles(
            JdbcClient jdbc,
            ObjectProvider<StarterArchives> archives,
            AuditLog audit,
            TransactionTemplate tx,
            Clock clock) {
        this.jdbc = jdbc;
        this.archives = archives;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    /** Whether starter files can be kept at all (the workspace engine is on). */
    public boolean available() {
        return archives.getIfAvailable() != null;
    }

    @Override
    public Optional<UUID> starterArchiveId(long courseId, long assignmentId) {
        return archiveId(courseId, assignmentId);
    }

    /** The id of the assignment's starter archive, the value to hand to the engine. */
    public Optional<UUID> archiveId(long courseId, long assignmentId) {
        return jdbc.sql("SELECT starter_archive_id FROM assignment WHERE course_id = ? AND id = ?")
                .params(courseId, assignmentId)
                .query((rs, n) -> rs.getObject(1, UUID.class))
                .optional();
    }

    public Optional<StarterArchive> current(long courseId, long assignmentId) {
        StarterArchives store = archives.getIfAvailable();
        if (store == null) {
            return Optional.empty();
        }
        return archiveId(courseId, assignmentId).flatMap(store::find);
    }

    /**
     * Checks, stores and links an archive to the assignment in one transaction.
     *
     * @throws dev.berth.provisioning.InvalidStarterArchiveException when it breaks a rule; nothing changes then
     */
    StarterArchive upload(long courseId, long assignmentId, String fileName, byte[] bytes, LaunchUser user) {
        StarterArchives store = archives.getObject();
        return tx.execute(status -> {
            StarterArchive archive = store.save(fileName, bytes, uploader(user));
            jdbc.sql("UPDATE assignment SET starter_archive_id = ?, updated_at = ? WHERE course_id = ? AND id = ?")
                    .params(archive.id(), Timestamp.from(clock.instant()), courseId, assignmentId)
                    .update();
            audit.record(
                    actor(user),
                    "assignment.starter-files.upload",
                    "assignment:" + assignmentId,
                    Map.of(
                            "archive", archive.id().toString(),
                            "name", archive.name(),
                            "sha256", archive.sha256(),
                            "files", archive.fileCount(),
                            "bytes", archive.sizeBytes()));
            return archive;
        });
    }

    /** Unlinks the assignment's starter files; workspaces already seeded from them keep their record of it. */
    void remove(long courseId, long assignmentId, LaunchUser user) {
        tx.executeWithoutResult(status -> {
            Optional<UUID> previous = archiveId(courseId, assignmentId);
            jdbc.sql("UPDATE assignment SET starter_archive_id = NULL, updated_at = ? WHERE course_id = ? AND id = ?")
                    .params(Timestamp.from(clock.instant()), courseId, assignmentId)
                    .update();
            audit.record(
                    actor(user),
                    "assignment.starter-files.remove",
                    "assignment:" + assignmentId,
                    Map.of("archive", previous.map(UUID::toString).orElse("none")));
        });
    }

    private static String uploader(LaunchUser user) {
        return user.displayName() == null || user.displayName().isBlank() ? actor(user) : user.displayName();
    }

    private static String actor(LaunchUser user) {
        return "person:" + user.personId();
    }
}
