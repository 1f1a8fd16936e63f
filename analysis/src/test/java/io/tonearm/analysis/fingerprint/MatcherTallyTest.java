package io.tonearm.analysis.fingerprint;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The matcher's vote tally (a histogram where a recording's time differences are dense, sorting where they are
 * sparse) against the definition, counted the slow way: for every difference a recording's votes take, the votes
 * within ±1 frame of it; the first difference with the most wins, its window's mean is the offset.
 */
class MatcherTallyTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void scoresAndOffsetsAreThoseOfTheDefinition(int seed) {
        Random random = new Random(seed);
        Landmarks query = randomLandmarks(random, 400 + random.nextInt(400), 40, 3000);
        InMemoryFingerprintIndex index = new InMemoryFingerprintIndex();
        Map<String, Landmarks> recordings = new HashMap<>();
        for (int r = 0; r < 12; r++) {
            String id = "r" + r;
            Landmarks l = switch (r % 3) {
                // a near-duplicate: the query's landmarks shifted, a few frames jittered, plus repeats (dense votes)
                case 0 -> shifted(random, query, random.nextInt(2000) - 1000);
                // chance collisions over a long recording (sparse votes, far apart)
                case 1 -> randomLandmarks(random, 300, 40, 2_000_000);
                // two equally strong alignments: the smaller difference must win the tie
                default -> twoAlignments(query, 100 + random.nextInt(50));
            };
            recordings.put(id, l);
            index.add(id, l);
        }

        List<Matcher.Match> got = Matcher.unfiltered().match(query, index, 100);

        assertThat(got).isEqualTo(byDefinition(query, recordings));
        assertThat(got).as("each kind of recording took part").hasSizeGreaterThanOrEqualTo(8);
    }

    private static List<Matcher.Match> byDefinition(Landmarks query, Map<String, Landmarks> recordings) {
        List<Matcher.Match> out = new ArrayList<>();
        recordings.forEach((id, l) -> {
            List<Integer> diffs = new ArrayList<>();
            for (int i = 0; i < query.count(); i++) {
                for (int j = 0; j < l.count(); j++) {
                    if (l.hashes()[j] == query.hashes()[i]) diffs.add(l.times()[j] - query.times()[i]);
                }
            }
            if (diffs.isEmpty()) return;
            int bestScore = 0;
            double bestOffset = 0;
            for (int d : new TreeSet<>(diffs)) {
                int score = 0;
                long sum = 0;
                for (int x : diffs) {
                    if (x >= d - 1 && x <= d + 1) {
                        score++;
                        sum += x;
                    }
                }
                if (score > bestScore) {
                    bestScore = score;
                    bestOffset = sum / (double) score;
                }
            }
            out.add(new Matcher.Match(id, bestScore, Math.round(bestOffset / Landmarks.FRAME_RATE * 1000) / 1000.0,
                    Math.min(1.0, bestScore / (double) query.count())));
        });
        out.sort(Comparator.comparingInt(Matcher.Match::score).reversed().thenComparing(Matcher.Match::recordingId));
        return out;
    }

    private static Landmarks randomLandmarks(Random random, int count, int distinctHashes, int frames) {
        int[] hashes = new int[count];
        int[] times = new int[count];
        for (int i = 0; i < count; i++) {
            hashes[i] = random.nextInt(distinctHashes); // few distinct hashes: repeats, as in music that loops
            times[i] = random.nextInt(frames);
        }
        return new Landmarks(hashes, times, frames);
    }

    private static Landmarks shifted(Random random, Landmarks query, int shift) {
        int n = query.count();
        int[] hashes = new int[n + n / 4];
        int[] times = new int[n + n / 4];
        for (int i = 0; i < n; i++) {
            hashes[i] = query.hashes()[i];
            times[i] = Math.max(0, query.times()[i] + shift + random.nextInt(3) - 1);
        }
        for (int i = n; i < hashes.length; i++) { // the chorus again, later
            hashes[i] = query.hashes()[i - n];
            times[i] = query.times()[i - n] + shift + 5000;
        }
        return new Landmarks(hashes, times, query.frames() + 6000);
    }

    private static Landmarks twoAlignments(Landmarks query, int half) {
        int[] hashes = new int[2 * half];
        int[] times = new int[2 * half];
        for (int i = 0; i < half; i++) {
            hashes[i] = query.hashes()[i];
            times[i] = query.times()[i] + 7000;
            hashes[half + i] = query.hashes()[i];
            times[half + i] = query.times()[i] + 9000;
        }
        return new Landmarks(hashes, times, 20_000);
    }
}
