package io.tonearm.sinks.credits;

import java.util.Map;

/**
 * One account's month, as {@code GET /v1/account} shows it under {@code credit_usage}.
 *
 * @param period           the calendar month (UTC), {@code yyyy-MM}
 * @param monthlyAllowance what the plan grants each month
 * @param charged          credits charged this month, net of refunds
 * @param byEndpoint       the same, per endpoint
 */
public record CreditUsage(String period, long monthlyAllowance, long charged, Map<String, EndpointUsage> byEndpoint) {

    /**
     * @param requests charges made (a refunded one still counts as a request)
     * @param refunds  of which refunded
     * @param credits  credits charged net of refunds
     */
    public record EndpointUsage(long requests, long refunds, long credits) {
    }
}
