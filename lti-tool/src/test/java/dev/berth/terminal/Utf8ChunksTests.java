package dev.berth.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class Utf8ChunksTests {

    private static final String TEXT = "a é € 😀 日本 z";

    @Test
    void textSplitAtEveryByteBoundaryDecodesWhole() {
        byte[] bytes = TEXT.getBytes(StandardCharsets.UTF_8);
        for (int split = 0; split <= bytes.length; split++) {
            Utf8Chunks chunks = new Utf8Chunks();
            String first = chunks.decode(Arrays.copyOfRange(bytes, 0, split), split);
            byte[] rest = Arrays.copyOfRange(bytes, split, bytes.length);
            String second = chunks.decode(rest, rest.length);

            assertThat(first + second).as("split after byte %d", split).isEqualTo(TEXT);
        }
    }

    @Test
    void textFedOneByteAtATimeDecodesWhole() {
        Utf8Chunks chunks = new Utf8Chunks();
        StringBuilder decoded = new StringBuilder();
        for (byte b : TEXT.getBytes(StandardCharsets.UTF_8)) {
            decoded.append(chunks.decode(new byte[] {b}, 1));
        }

        assertThat(decoded).hasToString(TEXT);
    }

    @Test
    void invalidBytesBecomeReplacementCharactersWithoutStalling() {
        Utf8Chunks chunks = new Utf8Chunks();
        byte[] bytes = {'a', (byte) 0xff, 'b', (byte) 0xc3, 'c'};

        assertThat(chunks.decode(bytes, bytes.length)).isEqualTo("a\uFFFDb\uFFFDc");
    }

    @Test
    void onlyTheGivenLengthOfTheBufferIsRead() {
        byte[] buffer = "hello, world".getBytes(StandardCharsets.UTF_8);

        assertThat(new Utf8Chunks().decode(buffer, 5)).isEqualTo("hello");
    }
}
