package io.tonearm.analysis.separation;

/** Median of a few values by quickselect (Hoare), in place: the inner step of the median-filter separators. */
final class Medians {

    private Medians() {
    }

    /** Median of {@code values[0..n)}, reordering them; for even n the upper median. */
    static float select(float[] values, int n) {
        int k = n / 2;
        int lo = 0;
        int hi = n - 1;
        while (lo < hi) {
            float pivot = values[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (values[i] < pivot) i++;
                while (values[j] > pivot) j--;
                if (i <= j) {
                    float t = values[i];
                    values[i] = values[j];
                    values[j] = t;
                    i++;
                    j--;
                }
            }
            if (k <= j) hi = j;
            else if (k >= i) lo = i;
            else return values[k];
        }
        return values[k];
    }
}
