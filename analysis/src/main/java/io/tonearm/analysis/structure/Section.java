package io.tonearm.analysis.structure;

/**
 * One structural section.
 *
 * @param start      seconds (3 decimals)
 * @param end        seconds (3 decimals)
 * @param label      A, B, C, … by first appearance; sections with the same letter repeat the same material
 * @param confidence 0–1: how sharply the section is set off from its neighbours, the mean novelty (relative to the
 *                   recording's strongest change) of its two boundaries; the recording's start and end count as 1
 */
public record Section(double start, double end, String label, double confidence) {
}
