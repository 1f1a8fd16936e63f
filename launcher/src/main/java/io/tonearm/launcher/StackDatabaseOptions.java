package io.tonearm.launcher;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;

/**
 * The options of an operator command that works on the stack's database ({@code keys}, {@code credits}): where it is
 * ({@link DatabaseOptions}) and how long to wait for a starting {@code tonearm up}. One picocli mixin, so the commands
 * cannot drift apart.
 */
public final class StackDatabaseOptions {

    @Mixin
    DatabaseOptions database = new DatabaseOptions();

    @Option(names = "--wait", defaultValue = "120", paramLabel = "SECONDS",
            description = "How long to wait for a starting tonearm up to bring PostgreSQL up (default ${DEFAULT-VALUE}).")
    long waitSeconds;

    public StackDatabase open() {
        return StackDatabase.open(database, Duration.ofSeconds(waitSeconds));
    }
}
