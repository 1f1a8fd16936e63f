package io.tonearm.analysis.loudness;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * BS.1770-4 channel weights G_i from ffmpeg's channel layout name: front and centre channels 1.0, surround
 * channels 1.41 (+1.5 dB), LFE excluded. Which channels count as surround follows ffmpeg's {@code af_ebur128}
 * (back, side, back-centre and surround-direct positions), which also covers 5.1's BL/BR (ffmpeg's names for Ls/Rs).
 *
 * <p>An unknown layout weighs every channel 1.0. A mono file counts its one channel once, as libebur128 does by
 * default (so a mono signal reads 3 dB below the same signal on both channels of a stereo file).
 */
final class ChannelWeights {

    static final double SURROUND = 1.41;

    /** ffmpeg's channel order for its named layouts ({@code libavutil/channel_layout.c}). */
    private static final Map<String, List<String>> LAYOUTS = Map.ofEntries(
            Map.entry("mono", List.of("FC")),
            Map.entry("stereo", List.of("FL", "FR")),
            Map.entry("2.1", List.of("FL", "FR", "LFE")),
            Map.entry("3.0", List.of("FL", "FR", "FC")),
            Map.entry("3.0(back)", List.of("FL", "FR", "BC")),
            Map.entry("4.0", List.of("FL", "FR", "FC", "BC")),
            Map.entry("quad", List.of("FL", "FR", "BL", "BR")),
            Map.entry("quad(side)", List.of("FL", "FR", "SL", "SR")),
            Map.entry("3.1", List.of("FL", "FR", "FC", "LFE")),
            Map.entry("5.0", List.of("FL", "FR", "FC", "BL", "BR")),
            Map.entry("5.0(side)", List.of("FL", "FR", "FC", "SL", "SR")),
            Map.entry("4.1", List.of("FL", "FR", "FC", "LFE", "BC")),
            Map.entry("5.1", List.of("FL", "FR", "FC", "LFE", "BL", "BR")),
            Map.entry("5.1(side)", List.of("FL", "FR", "FC", "LFE", "SL", "SR")),
            Map.entry("6.0", List.of("FL", "FR", "FC", "BC", "SL", "SR")),
            Map.entry("6.0(front)", List.of("FL", "FR", "FLC", "FRC", "SL", "SR")),
            Map.entry("hexagonal", List.of("FL", "FR", "FC", "BL", "BR", "BC")),
            Map.entry("6.1", List.of("FL", "FR", "FC", "LFE", "BC", "SL", "SR")),
            Map.entry("6.1(back)", List.of("FL", "FR", "FC", "LFE", "BL", "BR", "BC")),
            Map.entry("6.1(front)", List.of("FL", "FR", "LFE", "FLC", "FRC", "SL", "SR")),
            Map.entry("7.0", List.of("FL", "FR", "FC", "BL", "BR", "SL", "SR")),
            Map.entry("7.0(front)", List.of("FL", "FR", "FC", "FLC", "FRC", "SL", "SR")),
            Map.entry("7.1", List.of("FL", "FR", "FC", "LFE", "BL", "BR", "SL", "SR")),
            Map.entry("7.1(wide)", List.of("FL", "FR", "FC", "LFE", "BL", "BR", "FLC", "FRC")),
            Map.entry("7.1(wide-side)", List.of("FL", "FR", "FC", "LFE", "FLC", "FRC", "SL", "SR")),
            Map.entry("downmix", List.of("DL", "DR")));

    private static final Set<String> SURROUND_POSITIONS = Set.of("BL", "BR", "BC", "SL", "SR", "TBL", "TBC", "TBR", "SDL", "SDR");
    private static final Set<String> LFE_POSITIONS = Set.of("LFE", "LFE2", "LOW_FREQUENCY", "LOW_FREQUENCY_2");

    private ChannelWeights() {
    }

    /**
     * Weights for {@code channels} channels in ffmpeg's order for {@code layout}: a named layout
     * ({@code 5.1(side)}) or a custom one spelled with channel names ({@code FL+FR+LFE}, also inside
     * parentheses as in {@code 3 channels (FL+FR+LFE)}).
     */
    static double[] forLayout(String layout, int channels) {
        List<String> names = layout == null ? null : channelNames(layout.trim().toLowerCase(Locale.ROOT));
        double[] weights = new double[channels];
        if (names == null || names.size() != channels) {
            Arrays.fill(weights, 1.0);
            return weights;
        }
        for (int i = 0; i < channels; i++) weights[i] = weightOf(names.get(i));
        return weights;
    }

    private static List<String> channelNames(String layout) {
        List<String> named = LAYOUTS.get(layout);
        if (named != null) return named;
        int open = layout.indexOf('(');
        int close = layout.lastIndexOf(')');
        String spelled = open >= 0 && close > open ? layout.substring(open + 1, close) : layout;
        if (!spelled.contains("+")) return null;
        return Arrays.stream(spelled.split("\\+")).map(s -> s.trim().toUpperCase(Locale.ROOT)).toList();
    }

    private static double weightOf(String position) {
        if (LFE_POSITIONS.contains(position)) return 0.0;
        if (SURROUND_POSITIONS.contains(position)) return SURROUND;
        return 1.0;
    }
}
