package io.tonearm.launcher.keys;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tonearm keys}: API key management (one subcommand per action). */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Manage accounts' API keys.",
        subcommands = {KeysCreateCommand.class})
public final class KeysCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.err);
    }
}
