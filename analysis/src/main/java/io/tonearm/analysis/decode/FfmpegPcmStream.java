package io.tonearm.analysis.decode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.Locale;

/**
 * Reads an ffmpeg child's {@code f32le} stdout block by block and checks what it delivers.
 *
 * <p>What counts as broken: a sample that is not finite or beyond ±{@value #MAX_ABS} (corrupt frames can decode to
 * ±2e4); a non-zero exit (ffmpeg gives up once more than its {@code -max_error_rate}, 2/3 of packets, fail);
 * no samples at all; or a decode shorter than the duration the headers promise ({@link DeclaredDuration}) by more than
 * {@link #tolerance(double) 0.5 s + 1 %} (encoder delay and padding are tens of ms; truncated mp3/flac otherwise
 * decode "successfully"). Isolated decoder errors in a recording that is otherwise complete and sane are tolerated,
 * as in every player: the decoder conceals a damaged frame.
 */
final class FfmpegPcmStream implements PcmStream {

    static final float MAX_ABS = 8f;

    private final ChildProcess child;
    private final AudioInfo info;
    private final Double promisedSeconds;
    private final Duration budget;
    private final int channels;
    private final int frameBytes;
    private byte[] bytes = new byte[0];
    private FloatBuffer floats;
    private long frames;
    private boolean ended;

    /** @param promisedSeconds the duration the headers promise, null when unknown or only estimated */
    FfmpegPcmStream(ChildProcess child, AudioInfo info, Double promisedSeconds, Duration budget) {
        this.child = child;
        this.info = info;
        this.promisedSeconds = promisedSeconds;
        this.budget = budget;
        this.channels = info.channels();
        this.frameBytes = 4 * channels;
    }

    @Override
    public int read(float[] buffer, int maxFrames) throws DecodeException {
        if (ended) return -1;
        int want = Math.min(maxFrames, buffer.length / channels) * frameBytes;
        if (want <= 0) throw new IllegalArgumentException("buffer holds no whole frame");
        if (bytes.length < want) {
            bytes = new byte[want];
            floats = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        }
        int got;
        try {
            got = child.stdout().readNBytes(bytes, 0, want); // blocks until a full block or the end
        } catch (IOException e) {
            throw fail(child.timedOut() ? timeout() : new DecodeException(DecodeError.CORRUPT,
                    "Reading the decoder's output failed: " + e.getMessage() + "."));
        }
        int n = got / frameBytes; // ffmpeg writes whole frames; a partial one only happens when it is killed
        if (n == 0) {
            finish();
            return -1;
        }
        if (child.timedOut()) throw fail(timeout());
        int samples = n * channels;
        floats.position(0);
        floats.get(buffer, 0, samples);
        for (int i = 0; i < samples; i++) {
            float x = buffer[i];
            if (!(Math.abs(x) <= MAX_ABS)) { // also catches NaN
                throw fail(new DecodeException(DecodeError.CORRUPT, String.format(Locale.ROOT,
                        "The file is corrupt: decoding produced an impossible sample value (%s) at %.2f s.",
                        x, (frames + i / channels) / (double) info.sampleRate())));
            }
        }
        frames += n;
        return n;
    }

    private void finish() throws DecodeException {
        int exit;
        try {
            exit = child.awaitExit();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail(new DecodeException(DecodeError.IO, "Decoding was interrupted."));
        }
        ended = true;
        if (child.timedOut()) throw fail(timeout());
        String said = child.stderr().lastLine();
        if (exit != 0) {
            throw fail(new DecodeException(DecodeError.CORRUPT, "ffmpeg could not decode the file"
                    + (said == null ? "" : ": " + said) + " (exit code " + exit + ")."));
        }
        if (frames == 0) {
            throw fail(new DecodeException(DecodeError.NO_SAMPLES, "The file decoded to no audio samples at all"
                    + (said == null ? "." : " (" + said + ").")));
        }
        Double declared = promisedSeconds;
        double decoded = frames / (double) info.sampleRate();
        if (declared != null && decoded < declared - tolerance(declared)) {
            throw fail(new DecodeException(DecodeError.TRUNCATED, String.format(Locale.ROOT,
                    "The file ends after %.2f s of the %.2f s its header declares; it is probably truncated%s",
                    decoded, declared, said == null ? "." : " (" + said + ").")));
        }
        child.close();
    }

    /** How much shorter than declared a complete decode may be: encoder delay/padding and estimated durations. */
    static double tolerance(double declaredSeconds) {
        return 0.5 + 0.01 * declaredSeconds;
    }

    private DecodeException timeout() {
        return new DecodeException(DecodeError.TIMEOUT, String.format(Locale.ROOT,
                "Decoding did not finish within its budget of %.1f s and was stopped.", budget.toMillis() / 1000.0));
    }

    private DecodeException fail(DecodeException e) {
        ended = true;
        child.close();
        return e;
    }

    @Override
    public long framesRead() {
        return frames;
    }

    @Override
    public void close() {
        ended = true;
        child.close();
    }
}
