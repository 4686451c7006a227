package dev.berth.provisioning;

import static dev.berth.provisioning.JdbcJobQueue.at;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Starter archives in PostgreSQL ({@code starter_archive}): checked on the way in, immutable once stored, and
 * known to the rest of Berth only by id. Whoever links an archive to something (an assignment) keeps the id;
 * a workspace records the archive it was seeded from.
 */
public class StarterArchives {

    /** What is known of a stored archive, without its bytes. */
    public record StarterArchive(
            UUID id,
            String name,
            String sha256,
            long sizeBytes,
            int fileCount,
            long unpackedBytes,
            String uploadedBy,
            Instant uploadedAt) {}

    private final JdbcClient jdbc;
    private final Clock clock;
    private final StarterZip.Limits limits;

    StarterArchives(JdbcClient jdbc, Clock clock, StarterZip.Limits limits) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.limits = limits;
    }

    public StarterZip.Limits limits() {
        return limits;
    }

    /**
     * Checks and stores an archive.
     *
     * @throws InvalidStarterArchiveException when it breaks a rule of {@link StarterZip}; nothing is stored then
     */
    public StarterArchive save(String name, byte[] bytes, String uploadedBy) {
        StarterZip.Contents contents = StarterZip.inspect(bytes, limits);
        String cleanName = cleanName(name);
        StarterArchive archive = new StarterArchive(
                UUID.randomUUID(),
                cleanName,
                sha256(bytes),
                bytes.length,
                contents.fileCount(),
                contents.unpackedBytes(),
                uploadedBy,
                clock.instant());
        jdbc.sql("""
                        INSERT INTO starter_archive (id, name, sha256, size_bytes, file_count, unpacked_bytes, bytes,
                                                     uploaded_by, uploaded_at)
                        VALUES (:id, :name, :sha256, :size, :files, :unpacked, :bytes, :by, :at)
                        """)
                .param("id", archive.id())
                .param("name", archive.name())
                .param("sha256", archive.sha256())
                .param("size", archive.sizeBytes())
                .param("files", archive.fileCount())
                .param("unpacked", archive.unpackedBytes())
                .param("bytes", bytes)
                .param("by", uploadedBy)
                .param("at", at(archive.uploadedAt()))
                .update();
        return archive;
    }

    public Optional<StarterArchive> find(UUID id) {
        return jdbc.sql("""
                        SELECT id, name, sha256, size_bytes, file_count, unpacked_bytes, uploaded_by, uploaded_at
                        FROM starter_archive WHERE id = :id
                        """)
                .param("id", id)
                .query((rs, n) -> new StarterArchive(
                        rs.getObject("id", UUID.class),
                        rs.getString("name"),
                        rs.getString("sha256"),
                        rs.getLong("size_bytes"),
                        rs.getInt("file_count"),
                        rs.getLong("unpacked_bytes"),
                        rs.getString("uploaded_by"),
                        rs.getObject("uploaded_at", OffsetDateTime.class).toInstant()))
                .optional();
    }

    /** The archive as a backend unpacks it. */
    public Optional<StarterFiles> files(UUID id) {
        return find(id).map(archive -> files(jdbc, archive.id(), archive.sha256()));
    }

    static StarterFiles files(JdbcClient jdbc, UUID id, String sha256) {
        return new StarterFiles(
                id,
                sha256,
                () -> new ByteArrayInputStream(jdbc.sql("SELECT bytes FROM starter_archive WHERE id = :id")
                        .param("id", id)
                        .query(byte[].class)
                        .single()));
    }

    private static String cleanName(String name) {
        String base = name == null ? "" : name.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1)
                .replaceAll("\\p{Cntrl}", "")
                .strip();
        if (base.isEmpty()) {
            return "starter.zip";
        }
        return base.length() > 255 ? base.substring(0, 255) : base;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
