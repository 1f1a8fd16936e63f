package io.tonearm.launcher;

import io.tonearm.launcher.analyze.AnalyzeCommand;
import io.tonearm.launcher.bench.BenchCommand;
import io.tonearm.launcher.credits.CreditsCommand;
import io.tonearm.launcher.ingest.IngestCommand;
import io.tonearm.launcher.keys.KeysCommand;
import io.tonearm.launcher.up.UpCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tonearm} command: one entry point, one subcommand per task. */
@Command(name = "tonearm", mixinStandardHelpOptions = true, version = "tonearm 0.1.0",
        description = "Self-hosted music catalog analysis.",
        subcommands = {AnalyzeCommand.class, BenchCommand.class, UpCommand.class, KeysCommand.class, CreditsCommand.class, IngestCommand.class})
public final class Tonearm implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.err);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Tonearm()).execute(args));
    }
}
