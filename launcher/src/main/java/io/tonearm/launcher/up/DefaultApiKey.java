package io.tonearm.launcher.up;

import io.tonearm.api.accounts.AccountService;
import io.tonearm.sinks.accounts.Plan;
import io.tonearm.api.errors.ApiException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The key {@code tonearm up} prints: made on first start for the account {@code default} (plan pro) and kept in
 * {@code <data-dir>/api-key} (mode 0600); reused on restart as long as the database still accepts it.
 */
final class DefaultApiKey {
    static final String FILE = "api-key";
    static final String ACCOUNT = "default";

    private DefaultApiKey() {
    }

    static String ensure(Path dataDir, AccountService accounts) {
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.isRegularFile(file)) {
                String key = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (accepted(accounts, key)) {
                    return key;
                }
            }
            String key = accounts.createKeyFor(ACCOUNT, Plan.PRO).plainKey();
            PrivateFiles.write(file, key + "\n");
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the API key in " + file, e);
        }
    }

    private static boolean accepted(AccountService accounts, String key) {
        try {
            accounts.authenticate("Bearer " + key);
            return true;
        } catch (ApiException e) {
            return false;
        }
    }
}
