package dev.berth.terminal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns a byte stream read in arbitrary chunks into text without breaking characters: a multibyte sequence
 * split across two reads is held back until its last byte arrives. Invalid bytes become U+FFFD, since a
 * WebSocket text frame must be valid UTF-8. Not thread-safe: one per reading thread.
 */
final class Utf8Chunks {

    private final CharsetDecoder decoder = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);

    /** Bytes of an incomplete sequence from the previous chunk (at most 3). */
    private ByteBuffer pending = ByteBuffer.allocate(0);

    String decode(byte[] bytes, int length) {
        ByteBuffer in;
        if (pending.hasRemaining()) {
            in = ByteBuffer.allocate(pending.remaining() + length);
            in.put(pending).put(bytes, 0, length).flip();
        } else {
            in = ByteBuffer.wrap(bytes, 0, length);
        }
        CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
        decoder.decode(in, out, false);
        pending =
                in.hasRemaining() ? ByteBuffer.allocate(in.remaining()).put(in).flip() : ByteBuffer.allocate(0);
        return out.flip().toString();
    }
}
