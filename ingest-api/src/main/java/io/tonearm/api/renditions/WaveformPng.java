package io.tonearm.api.renditions;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Draws min/max peaks as a waveform image: one column per peak pair, a vertical bar from the highest to the lowest
 * sample around the centre line, on a transparent background. Amplitudes are drawn to full scale (not normalised),
 * so a quiet recording looks quiet; silence still shows a one-pixel centre line.
 */
final class WaveformPng {

    static final int COLOR = 0xFF2563EB; // opaque blue

    private WaveformPng() {
    }

    /** @param min lowest sample per column, in [-1, 1]; @param max highest sample per column; both of length width */
    static void write(double[] min, double[] max, int width, int height, OutputStream out) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        double mid = (height - 1) / 2.0;
        for (int x = 0; x < width; x++) {
            int top = row(max.length == 0 ? 0 : max[Math.min(x, max.length - 1)], mid, height);
            int bottom = row(min.length == 0 ? 0 : min[Math.min(x, min.length - 1)], mid, height);
            if (top > bottom) {
                int t = top;
                top = bottom;
                bottom = t;
            }
            for (int y = top; y <= bottom; y++) {
                image.setRGB(x, y, COLOR);
            }
        }
        if (!ImageIO.write(image, "png", out)) {
            throw new IOException("no PNG writer in this JVM");
        }
    }

    private static int row(double value, double mid, int height) {
        double v = Double.isFinite(value) ? Math.max(-1, Math.min(1, value)) : 0;
        return (int) Math.max(0, Math.min(height - 1, Math.round(mid - v * mid)));
    }
}
