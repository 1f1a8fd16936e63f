package io.tonearm.launcher.up;

import picocli.CommandLine;

import java.nio.file.Path;

/** The {@link StackConfig} {@code tonearm up --data-dir DIR ARGS…} would run, parsed as the command line parses it. */
final class UpCommandArgs {
    private UpCommandArgs() {
    }

    static StackConfig config(Path dataDir, String... args) {
        UpCommand up = new UpCommand();
        String[] all = new String[args.length + 2];
        all[0] = "--data-dir";
        all[1] = dataDir.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        new CommandLine(up).parseArgs(all);
        return up.config();
    }
}
