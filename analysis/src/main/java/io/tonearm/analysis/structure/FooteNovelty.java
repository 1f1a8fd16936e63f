package io.tonearm.analysis.structure;

/**
 * Foote's novelty curve ("Automatic audio segmentation using a measure of audio novelty", ICME 2000): a
 * checkerboard kernel with a Gaussian taper slid along the diagonal of the self-similarity matrix. Where the
 * kernel straddles a change, the two blocks on the diagonal (past with past, future with future) are self-similar
 * and the two off-diagonal blocks (past with future) are not, so the correlation peaks.
 *
 * <p>Only the band of the matrix within {@code halfWidth} frames of the diagonal is ever needed, so similarities
 * are computed on the fly from the frame features: cost O(n · halfWidth²) and O(n) memory, whatever the duration.
 * Near the edges the kernel shrinks to the part that fits inside the matrix and the sum is divided by the kernel
 * mass used (the usual zero padding would invent a change at the first and last frame).
 */
final class FooteNovelty {

    private FooteNovelty() {
    }

    /** Novelty at each frame boundary: value {@code i} scores a change between frames {@code i-1} and {@code i}. */
    static float[] curve(StructureFeatures features, int halfWidth) {
        int n = features.frames();
        double[] taper = new double[halfWidth];
        double sigma = 0.5 * halfWidth;       // Foote's taper: the kernel edge sits at 2 σ
        for (int a = 0; a < halfWidth; a++) taper[a] = Math.exp(-0.5 * ((a + 0.5) / sigma) * ((a + 0.5) / sigma));
        // past frames are i-1-a, future frames i+a (a = 0..halfWidth-1)
        float[] novelty = new float[n];
        for (int i = 1; i < n; i++) {
            int h = Math.min(halfWidth, Math.min(i, n - i));
            double sum = 0, mass = 0;
            for (int a = 0; a < h; a++) {
                for (int b = 0; b < h; b++) {
                    double w = taper[a] * taper[b];
                    // the two diagonal blocks count +, the two (symmetric) off-diagonal blocks −
                    sum += w * (features.similarity(i - 1 - a, i - 1 - b) + features.similarity(i + a, i + b)
                            - 2 * features.similarity(i - 1 - a, i + b));
                    mass += 4 * w;
                }
            }
            novelty[i] = (float) (sum / mass);
        }
        return novelty;
    }
}
