package io.tonearm.sinks.credits;

import java.util.UUID;

/**
 * A charge as recorded.
 *
 * @param amount       credits taken (0 for a free endpoint, which leaves no ledger row)
 * @param balanceAfter the balance right after this charge was applied
 * @param replayed     true when this charge key had been charged before: nothing was taken this time
 */
public record Charge(UUID accountId, String chargeKey, String endpoint, long amount, long balanceAfter,
                     boolean replayed) {
}
