package io.tonearm.analysis.decode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Drains a child's stderr on its own thread (a full pipe would stall the child) and keeps only the last few KB
 * of lines and a count of them: enough for an error message, bounded however much a broken file makes ffmpeg say.
 */
final class StderrTail {

    static final int MAX_CHARS = 4096;

    private final Deque<String> lines = new ArrayDeque<>();
    private final Thread thread;
    private int chars;
    private long lineCount;

    StderrTail(InputStream stderr, String name) {
        thread = new Thread(() -> drain(stderr), name);
        thread.setDaemon(true);
        thread.start();
    }

    private void drain(InputStream in) {
        StringBuilder line = new StringBuilder();
        byte[] buf = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buf)) > 0; ) {
                String text = new String(buf, 0, n, StandardCharsets.UTF_8);
                for (int i = 0; i < text.length(); i++) {
                    char c = text.charAt(i);
                    if (c == '\n' || c == '\r') {
                        add(line);
                    } else if (line.length() < MAX_CHARS) {
                        line.append(c);
                    }
                }
            }
        } catch (IOException ignored) {
            // the child was killed: what we have is all there is
        }
        add(line);
    }

    private synchronized void add(StringBuilder line) {
        if (line.length() == 0) return;
        String s = line.toString().strip();
        line.setLength(0);
        if (s.isEmpty()) return;
        lines.addLast(s);
        chars += s.length() + 1; // with its newline in text()
        lineCount++;
        while (chars > MAX_CHARS && lines.size() > 1) chars -= lines.removeFirst().length() + 1;
    }

    /** Waits (bounded) until the child closed stderr, so the tail is complete. */
    void await(long millis) {
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    synchronized long lineCount() {
        return lineCount;
    }

    synchronized String text() {
        return String.join("\n", lines);
    }

    /** The last line ffmpeg said, without its prefixes; null if it said nothing. */
    synchronized String lastLine() {
        return lines.isEmpty() ? null : stripPrefixes(lines.peekLast());
    }

    /** Without ffmpeg's {@code [component @ 0x...]} prefixes and the {@code file:/path: } it puts before input errors. */
    static String stripPrefixes(String line) {
        String s = line;
        while (s.startsWith("[")) {
            int end = s.indexOf("] ");
            if (end < 0) break;
            s = s.substring(end + 2);
        }
        if (s.startsWith("file:")) {
            int end = s.lastIndexOf(": ");
            if (end > 0) s = s.substring(end + 2);
        }
        return s;
    }
}
