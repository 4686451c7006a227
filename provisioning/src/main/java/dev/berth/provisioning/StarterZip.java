package dev.berth.provisioning;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * The rules a starter archive obeys, checked when it is uploaded and again when a backend unpacks it: a real
 * .zip, within the size and entry limits (counted while inflating, never trusting the sizes the archive claims),
 * with relative paths that stay inside the home, and no symbolic links.
 */
public final class StarterZip {

    /** The bounds of an archive: its compressed size, the bytes it inflates to, and its number of entries. */
    public record Limits(long maxArchiveBytes, long maxUnpackedBytes, int maxEntries) {
        public static final Limits DEFAULT = new Limits(20L * 1024 * 1024, 200L * 1024 * 1024, 5_000);
    }

    /** What an archive holds: its files (directories not counted) and the bytes they inflate to. */
    public record Contents(int fileCount, long unpackedBytes) {}

    private static final int CENTRAL_HEADER = 0x02014b50;
    private static final int END_OF_CENTRAL_DIRECTORY = 0x06054b50;
    private static final int UNIX_HOST = 3;
    private static final int FILE_TYPE_MASK = 0170000;
    private static final int SYMLINK = 0120000;

    private StarterZip() {}

    /** Checks an archive without writing anything. */
    public static Contents inspect(byte[] archive, Limits limits) {
        if (archive.length == 0) {
            throw new InvalidStarterArchiveException("The file is empty.");
        }
        if (archive.length > limits.maxArchiveBytes()) {
            throw new InvalidStarterArchiveException(
                    "The archive is larger than " + megabytes(limits.maxArchiveBytes()) + ".");
        }
        rejectSymlinks(archive);
        return walk(new java.io.ByteArrayInputStream(archive), limits, null);
    }

    /**
     * Unpacks an archive into {@code target} (which must exist), replacing files of the same name and keeping
     * any others. Applies the same rules as {@link #inspect}; on a violation, what was unpacked so far stays.
     */
    public static Contents unpack(InputStream archive, Path target, Limits limits) {
        return walk(archive, limits, target.toAbsolutePath().normalize());
    }

    private static Contents walk(InputStream in, Limits limits, Path target) {
        int entries = 0;
        int files = 0;
        long unpacked = 0;
        Set<String> seen = new HashSet<>();
        byte[] buffer = new byte[64 * 1024];
        try (ZipInputStream zip = new ZipInputStream(in)) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                entries++;
                if (entries > limits.maxEntries()) {
                    throw new InvalidStarterArchiveException(
                            "The archive has more than " + limits.maxEntries() + " entries.");
                }
                String name = checkedName(entry.getName());
                if (!seen.add(name)) {
                    throw new InvalidStarterArchiveException("The archive holds '" + name + "' twice.");
                }
                Path destination = target == null ? null : destination(target, name);
                if (entry.isDirectory()) {
                    if (destination != null) {
                        Files.createDirectories(destination);
                    }
                    continue;
                }
                files++;
                OutputStream out = null;
                try {
                    if (destination != null) {
                        Files.createDirectories(destination.getParent());
                        if (Files.isDirectory(destination)) {
                            throw new InvalidStarterArchiveException("'" + name + "' is a folder in the home.");
                        }
                        Files.deleteIfExists(destination);
                        out = Files.newOutputStream(destination, StandardOpenOption.CREATE_NEW);
                    }
                    int read;
                    while ((read = zip.read(buffer)) > 0) {
                        unpacked += read;
                        if (unpacked > limits.maxUnpackedBytes()) {
                            throw new InvalidStarterArchiveException(
                                    "The archive unpacks to more than " + megabytes(limits.maxUnpackedBytes()) + ".");
                        }
                        if (out != null) {
                            out.write(buffer, 0, read);
                        }
                    }
                } finally {
                    if (out != null) {
                        out.close();
                    }
                }
            }
        } catch (ZipException e) {
            throw new InvalidStarterArchiveException("The file is not a valid .zip archive.");
        } catch (IOException e) {
            if (target == null) {
                throw new InvalidStarterArchiveException("The file is not a valid .zip archive.");
            }
            throw new WorkspaceBackendException("Could not unpack the starter files: " + e.getMessage(), e);
        }
        if (entries == 0) {
            throw new InvalidStarterArchiveException("The file is not a .zip archive, or the archive is empty.");
        }
        return new Contents(files, unpacked);
    }

    /** Relative, forward-slash paths without {@code ..}, drive letters or control characters (zip slip). */
    private static String checkedName(String raw) {
        String name = raw;
        boolean unsafe = name.isEmpty()
                || name.startsWith("/")
                || name.contains("\\")
                || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)
                || (name.length() > 1 && name.charAt(1) == ':');
        if (!unsafe) {
            for (String part : List.of(name.split("/"))) {
                if (part.equals("..") || part.equals(".")) {
                    unsafe = true;
                    break;
                }
            }
        }
        if (unsafe || name.length() > 1024) {
            throw new InvalidStarterArchiveException("The archive holds an unsafe path ('" + printable(name)
                    + "'): every path must be relative" + " and stay inside the home folder.");
        }
        if (name.split("/")[0].equalsIgnoreCase(WorkspaceBackend.BACKUPS)) {
            throw new InvalidStarterArchiveException("The archive holds a top-level '" + WorkspaceBackend.BACKUPS
                    + "' folder: that name is kept for the backups a reset makes.");
        }
        return name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    }

    private static Path destination(Path target, String name) {
        Path destination = target.resolve(name).normalize();
        if (!destination.startsWith(target) || destination.equals(target)) {
            throw new InvalidStarterArchiveException("The archive holds an unsafe path ('" + printable(name) + "').");
        }
        return destination;
    }

    /**
     * Symbolic links are marked only in the central directory (the Unix mode in the external attributes),
     * which {@link ZipInputStream} does not read: walk it here.
     */
    private static void rejectSymlinks(byte[] archive) {
        ByteBuffer bytes = ByteBuffer.wrap(archive).order(ByteOrder.LITTLE_ENDIAN);
        int end = -1;
        for (int i = archive.length - 22; i >= Math.max(0, archive.length - 22 - 65_535); i--) {
            if (bytes.getInt(i) == END_OF_CENTRAL_DIRECTORY) {
                end = i;
                break;
            }
        }
        if (end < 0) {
            throw new InvalidStarterArchiveException("The file is not a valid .zip archive.");
        }
        int count = Short.toUnsignedInt(bytes.getShort(end + 10));
        long offset = Integer.toUnsignedLong(bytes.getInt(end + 16));
        int at = (int) Math.min(offset, Integer.MAX_VALUE);
        for (int n = 0; n < count; n++) {
            if (at < 0 || at + 46 > archive.length || bytes.getInt(at) != CENTRAL_HEADER) {
                throw new InvalidStarterArchiveException("The file is not a valid .zip archive.");
            }
            int host = Short.toUnsignedInt(bytes.getShort(at + 4)) >> 8;
            int mode = bytes.getInt(at + 38) >>> 16;
            int nameLength = Short.toUnsignedInt(bytes.getShort(at + 28));
            if (host == UNIX_HOST && (mode & FILE_TYPE_MASK) == SYMLINK) {
                String name = new String(
                        archive,
                        at + 46,
                        Math.min(nameLength, archive.length - at - 46),
                        java.nio.charset.StandardCharsets.UTF_8);
                throw new InvalidStarterArchiveException("The archive holds a symbolic link ('" + printable(name)
                        + "'); only files and folders are" + " allowed.");
            }
            at += 46
                    + nameLength
                    + Short.toUnsignedInt(bytes.getShort(at + 30))
                    + Short.toUnsignedInt(bytes.getShort(at + 32));
        }
    }

    private static String printable(String name) {
        String cleaned = name.replaceAll("\\p{Cntrl}", "?");
        return cleaned.length() > 80 ? cleaned.substring(0, 80) + "…" : cleaned;
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%d MB", bytes / (1024 * 1024));
    }
}
