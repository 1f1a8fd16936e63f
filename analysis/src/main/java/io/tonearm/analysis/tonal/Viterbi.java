package io.tonearm.analysis.tonal;

/**
 * Most likely state sequence of an HMM whose transitions are "stay" or "move to any other state with equal
 * probability" (Viterbi 1967). With that structure the best predecessor of a state is either itself or the
 * overall best state of the previous frame, so decoding costs O(frames × states) instead of O(frames × states²).
 */
final class Viterbi {

    private Viterbi() {
    }

    /**
     * @param logEmission [frame][state] log-likelihoods
     * @param logStay     log-probability of keeping the state
     * @param logSwitch   log-probability of moving to one given other state
     */
    static int[] decode(double[][] logEmission, double logStay, double logSwitch) {
        int frames = logEmission.length;
        if (frames == 0) return new int[0];
        int states = logEmission[0].length;
        double[] score = logEmission[0].clone();
        double[] next = new double[states];
        int[][] from = new int[frames][];
        for (int t = 1; t < frames; t++) {
            int best = argmax(score);
            int[] back = new int[states];
            for (int s = 0; s < states; s++) {
                double stay = score[s] + logStay;
                double move = s == best ? Double.NEGATIVE_INFINITY : score[best] + logSwitch;
                if (s == best) {
                    // the best other state for the best state is the runner-up
                    int second = -1;
                    for (int r = 0; r < states; r++) if (r != best && (second < 0 || score[r] > score[second])) second = r;
                    if (second >= 0) move = score[second] + logSwitch;
                    back[s] = stay >= move ? s : second;
                } else {
                    back[s] = stay >= move ? s : best;
                }
                next[s] = Math.max(stay, move) + logEmission[t][s];
            }
            from[t] = back;
            double[] swap = score;
            score = next;
            next = swap;
        }
        int[] path = new int[frames];
        path[frames - 1] = argmax(score);
        for (int t = frames - 1; t > 0; t--) path[t - 1] = from[t][path[t]];
        return path;
    }

    private static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }
}
