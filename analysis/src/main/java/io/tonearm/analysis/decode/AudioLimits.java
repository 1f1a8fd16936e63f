package io.tonearm.analysis.decode;

/**
 * What Tonearm accepts from a header before decoding anything. The range is wide on purpose: 4 kHz covers
 * telephony (8 kHz) and old 5.5/6 kHz samples; 384 kHz covers DXD studio masters; 32 channels covers 22.2 and
 * Atmos beds. Anything outside is a broken or hostile header (a WAV claiming 4 GHz or 0 channels), and decoding
 * it would only waste the budget or memory.
 */
public final class AudioLimits {

    public static final int MIN_SAMPLE_RATE = 4_000;
    public static final int MAX_SAMPLE_RATE = 384_000;
    public static final int MAX_CHANNELS = 32;
    public static final double MAX_DURATION_SECONDS = 24 * 3600;

    private AudioLimits() {
    }

    /** Throws {@link DecodeError#UNSUPPORTED} with a human reason when the header is outside the limits. */
    public static void check(AudioInfo info) throws DecodeException {
        if (info.sampleRate() < MIN_SAMPLE_RATE || info.sampleRate() > MAX_SAMPLE_RATE) {
            throw new DecodeException(DecodeError.UNSUPPORTED, "The audio stream declares a sample rate of "
                    + info.sampleRate() + " Hz; Tonearm accepts " + MIN_SAMPLE_RATE + " to " + MAX_SAMPLE_RATE + " Hz.");
        }
        if (info.channels() < 1 || info.channels() > MAX_CHANNELS) {
            throw new DecodeException(DecodeError.UNSUPPORTED, "The audio stream declares " + info.channels()
                    + " channels; Tonearm accepts 1 to " + MAX_CHANNELS + ".");
        }
        Double d = info.durationSeconds();
        if (d != null && d > MAX_DURATION_SECONDS) {
            throw new DecodeException(DecodeError.UNSUPPORTED, String.format(java.util.Locale.ROOT,
                    "The file declares a duration of %.1f hours; Tonearm accepts recordings up to 24 hours.", d / 3600));
        }
    }
}
