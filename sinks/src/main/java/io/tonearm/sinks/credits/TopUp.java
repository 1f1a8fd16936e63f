package io.tonearm.sinks.credits;

import java.time.Instant;
import java.util.UUID;

/**
 * An operator's top-up as recorded.
 *
 * @param key          the caller's idempotency key (the ledger stores it as {@code topup:<key>})
 * @param credits      credits added
 * @param balanceAfter the balance right after this top-up was applied (the first time, for a replay)
 * @param appliedAt    when it was applied (the first time, for a replay)
 * @param replayed     true when this key had been applied before: nothing was added this time
 */
public record TopUp(UUID accountId, String key, long credits, long balanceAfter, Instant appliedAt, boolean replayed) {
}
