package io.tonearm.analysis.structure;

import java.util.List;

/** The sections of a recording in time order, covering it from 0 to its end without gaps. */
public record SectionsResult(List<Section> sections) {
}
