package dev.berth.provisioning;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.UUID;

/**
 * The starter files a workspace's home is seeded with: a .zip archive (already checked by {@link StarterZip}),
 * known by its id and SHA-256, opened only when a backend unpacks it. Equal when the archive is the same.
 */
public final class StarterFiles {

    /** Opens the archive's bytes; each call returns a new stream. */
    @FunctionalInterface
    public interface Source {
        InputStream open() throws IOException;
    }

    private final UUID archiveId;
    private final String sha256;
    private final Source source;

    public StarterFiles(UUID archiveId, String sha256, Source source) {
        this.archiveId = Objects.requireNonNull(archiveId);
        this.sha256 = Objects.requireNonNull(sha256);
        this.source = Objects.requireNonNull(source);
    }

    public UUID archiveId() {
        return archiveId;
    }

    public String sha256() {
        return sha256;
    }

    /** A new stream over the archive; the caller closes it. */
    public InputStream open() {
        try {
            return source.open();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the starter archive " + archiveId, e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StarterFiles that && archiveId.equals(that.archiveId) && sha256.equals(that.sha256);
    }

    @Override
    public int hashCode() {
        return Objects.hash(archiveId, sha256);
    }

    @Override
    public String toString() {
        return "StarterFiles[" + archiveId + ", sha256=" + sha256 + "]";
    }
}
