package io.tonearm.sinks.credits;

import java.util.Map;

/**
 * One account's month, as {@code GET /v1/account} shows it under {@code credit_usage}.
 *
 * @param period           the calendar month (UTC), {@code yyyy-MM}
 * @param monthlyAllowance what the plan grants each month
 * @param charged          credits charged this month, net of refunds
 * @param toppedUp         credits operators added this month ({@code tonearm credits add}): part of the balance, not
 *                         usage, so neither in {@code charged} nor in {@code byEndpoint}
 * @param byEndpoint       charges net of refunds, per endpoint
 */
public record CreditUsage(String period, long monthlyAllowance, long charged, long toppedUp,
                          Map<String, EndpointUsage> byEndpoint) {

    /**
     * @param requests charges made (a refunded one still counts as a request)
     * @param refunds  of which refunded
     * @param credits  credits charged net of refunds
     */
    public record EndpointUsage(long requests, long refunds, long credits) {
    }
}
