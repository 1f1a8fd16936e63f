package io.tonearm.analysis.tonal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ViterbiTest {

    @Test
    void smoothsAOneFrameFlickerButFollowsASustainedChange() {
        // state 0 for 5 frames, a one-frame blip of state 1, 0 again, then state 2 for 5 frames
        int[] truth = {0, 0, 0, 0, 0, 1, 0, 0, 2, 2, 2, 2, 2};
        double[][] emission = new double[truth.length][3];
        for (int t = 0; t < truth.length; t++) emission[t][truth[t]] = 2;
        int[] path = Viterbi.decode(emission, Math.log(0.9), Math.log(0.05));
        assertThat(path).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2);
    }

    @Test
    void withoutSelfTransitionPreferenceItFollowsTheEmissions() {
        int[] truth = {0, 1, 0, 2, 2, 1};
        double[][] emission = new double[truth.length][3];
        for (int t = 0; t < truth.length; t++) emission[t][truth[t]] = 2;
        int[] path = Viterbi.decode(emission, Math.log(1 / 3.0), Math.log(1 / 3.0));
        assertThat(path).containsExactly(truth);
    }

    @Test
    void agreesWithBruteForceOnRandomInput() {
        java.util.Random random = new java.util.Random(1);
        for (int trial = 0; trial < 50; trial++) {
            int frames = 5, states = 3;
            double[][] e = new double[frames][states];
            for (double[] row : e) for (int s = 0; s < states; s++) row[s] = random.nextGaussian();
            double stay = Math.log(0.7), move = Math.log(0.15);
            int[] path = Viterbi.decode(e, stay, move);
            double best = Double.NEGATIVE_INFINITY;
            int[] bestPath = null;
            for (int code = 0; code < Math.pow(states, frames); code++) {
                int[] p = new int[frames];
                for (int t = 0, c = code; t < frames; t++, c /= states) p[t] = c % states;
                double score = e[0][p[0]];
                for (int t = 1; t < frames; t++) score += (p[t] == p[t - 1] ? stay : move) + e[t][p[t]];
                if (score > best) {
                    best = score;
                    bestPath = p;
                }
            }
            assertThat(path).containsExactly(bestPath);
        }
    }
}
