package io.tonearm.launcher.credits;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tonearm credits}: an operator's view of accounts' credits and top-ups (one subcommand per action). */
@Command(name = "credits", mixinStandardHelpOptions = true,
        description = "Show an account's credits or top them up (straight on the stack's database).",
        subcommands = {CreditsShowCommand.class, CreditsAddCommand.class})
public final class CreditsCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.err);
    }
}
