package io.tonearm.api.processing;

import java.util.List;

/**
 * One processing endpoint, declared in one line: its path, the job kind it creates and the analyzers it runs
 * (registry names, in the order their fields merge into the answer).
 */
public record Process(String path, String kind, List<String> analyzers, String summary) {

    public Process {
        analyzers = List.copyOf(analyzers);
        if (analyzers.isEmpty()) {
            throw new IllegalArgumentException(path + " runs no analyzer");
        }
    }

    static Process of(String kind, String summary, String... analyzers) {
        return new Process("/v1/" + kind, kind, List.of(analyzers), summary);
    }
}
