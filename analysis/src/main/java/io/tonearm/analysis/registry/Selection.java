package io.tonearm.analysis.registry;

import io.tonearm.analysis.Analyzer;
import io.tonearm.analysis.Params;

/**
 * One analyzer chosen for a run, with validated parameters.
 *
 * @param key what the caller asked for, without a version ({@code lufs} stays {@code lufs}); the result is
 *            reported under this key
 */
public record Selection(String key, Analyzer<?> analyzer, Params params) {
}
