package dev.berth.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StarterZipTests {

    private static final StarterZip.Limits SMALL = new StarterZip.Limits(10_000, 50_000, 10);

    @TempDir
    Path home;

    @Test
    void archiveWithinTheLimitsReportsItsFilesAndUnpackedSize() {
        StarterZip.Contents contents =
                StarterZip.inspect(TestZips.zip(Map.of("a.txt", "abc", "dir/b.txt", "de")), SMALL);
        assertThat(contents).isEqualTo(new StarterZip.Contents(2, 5));
    }

    @Test
    void pathLeavingTheHomeIsRejected() {
        assertInvalid(TestZips.zip(Map.of("../../etc/passwd", "x")), "unsafe path");
        assertInvalid(TestZips.zip(Map.of("dir/../../x", "x")), "unsafe path");
    }

    @Test
    void absolutePathsAndDriveLettersAreRejected() {
        assertInvalid(TestZips.zip(Map.of("/etc/passwd", "x")), "unsafe path");
        assertInvalid(TestZips.zip(Map.of("C:/Windows/x", "x")), "unsafe path");
        assertInvalid(TestZips.zip(Map.of("dir\\..\\x", "x")), "unsafe path");
    }

    @Test
    void symbolicLinkIsRejected() throws Exception {
        assertInvalid(symlinkZip("link", "/etc/passwd"), "symbolic link");
    }

    @Test
    void tooManyEntriesAreRejected() {
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < 11; i++) {
            files.put("f" + i, "");
        }
        assertInvalid(TestZips.zip(files), "more than 10 entries");
    }

    @Test
    void zipBombIsRejectedWhileInflatingWhateverItsHeadersClaim() {
        byte[] bomb = TestZips.zip(Map.of("zeros", "0".repeat(60_000)));
        assertThat(bomb.length).isLessThan(10_000);
        assertInvalid(bomb, "unpacks to more than");
    }

    @Test
    void archiveLargerThanTheLimitIsRejected() {
        assertThatThrownBy(() -> StarterZip.inspect(new byte[10_001], SMALL))
                .isInstanceOf(InvalidStarterArchiveException.class)
                .hasMessageContaining("larger than");
    }

    @Test
    void fileThatIsNotAZipIsRejected() {
        assertInvalid("just some text, not a zip".getBytes(java.nio.charset.StandardCharsets.UTF_8), "not a");
        assertInvalid(new byte[0], "empty");
    }

    @Test
    void topLevelBackupsFolderIsReservedForResets() {
        assertInvalid(TestZips.zip(Map.of("Backups/old/x.txt", "x")), "Backups");
    }

    @Test
    void unpackWritesTheFilesAndReplacesOnesOfTheSameName() throws Exception {
        Files.writeString(home.resolve("a.txt"), "old");
        Files.writeString(home.resolve("keep.txt"), "kept");
        StarterZip.unpack(
                new ByteArrayInputStream(TestZips.zip(Map.of("a.txt", "new", "dir/b.txt", "b"))), home, SMALL);
        assertThat(home.resolve("a.txt")).hasContent("new");
        assertThat(home.resolve("dir/b.txt")).hasContent("b");
        assertThat(home.resolve("keep.txt")).hasContent("kept");
    }

    @Test
    void unpackRefusesAPathLeavingTheTarget() {
        assertThatThrownBy(() -> StarterZip.unpack(
                        new ByteArrayInputStream(TestZips.zip(Map.of("../escaped.txt", "x"))), home, SMALL))
                .isInstanceOf(InvalidStarterArchiveException.class);
        assertThat(home.resolveSibling("escaped.txt")).doesNotExist();
    }

    private static void assertInvalid(byte[] archive, String reason) {
        assertThatThrownBy(() -> StarterZip.inspect(archive, SMALL))
                .isInstanceOf(InvalidStarterArchiveException.class)
                .hasMessageContaining(reason);
    }

    /** A .zip whose one entry is marked, as Info-ZIP marks it, a Unix symbolic link (mode 120777). */
    static byte[] symlinkZip(String name, String target) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(target.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        byte[] archive = bytes.toByteArray();
        ByteBuffer buffer = ByteBuffer.wrap(archive).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 4 <= archive.length; i++) {
            if (buffer.getInt(i) == 0x02014b50) {
                buffer.putShort(i + 4, (short) ((3 << 8) | 20));
                buffer.putInt(i + 38, 0120777 << 16);
            }
        }
        return archive;
    }
}
