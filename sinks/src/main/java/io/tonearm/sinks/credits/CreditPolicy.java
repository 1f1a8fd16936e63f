package io.tonearm.sinks.credits;

import io.tonearm.sinks.accounts.Plan;

import java.io.Serializable;
import java.util.EnumMap;
import java.util.Map;

/**
 * How many credits each plan receives per calendar month (UTC), granted at the account's first credit-relevant
 * request of the month (a charge, or reading the balance). Unused credits carry over.
 */
public record CreditPolicy(Map<Plan, Long> monthlyAllowance) implements Serializable {

    public CreditPolicy {
        monthlyAllowance = Map.copyOf(monthlyAllowance);
        for (Plan p : Plan.values()) {
            Long v = monthlyAllowance.get(p);
            if (v == null || v < 0) {
                throw new IllegalArgumentException("no (or a negative) monthly allowance for plan " + p.id());
            }
        }
    }

    /** basic 1000, pro 20000 credits a month. */
    public static CreditPolicy defaults() {
        Map<Plan, Long> m = new EnumMap<>(Plan.class);
        m.put(Plan.BASIC, 1000L);
        m.put(Plan.PRO, 20000L);
        return new CreditPolicy(m);
    }

    /** {@link #defaults()}, with each plan's allowance from {@code TONEARM_CREDITS_BASIC} / {@code TONEARM_CREDITS_PRO} when set. */
    public static CreditPolicy configured() {
        return configured(System.getenv());
    }

    /**
     * {@link #defaults()}, with {@code TONEARM_CREDITS_<PLAN>} (credits a month, a whole number ≥ 0) from {@code env}
     * where set: a self-hosted catalog of 100,000 tracks needs 1.4 M credits for the standard set, far above the
     * defaults meant for API clients. The API and the pipeline's jobs read the same variables, so whichever grants an
     * account's month first grants the same amount.
     */
    public static CreditPolicy configured(Map<String, String> env) {
        CreditPolicy policy = defaults();
        for (Plan p : Plan.values()) {
            String name = "TONEARM_CREDITS_" + p.name();
            String v = env.get(name);
            if (v == null || v.isBlank()) continue;
            long credits;
            try {
                credits = Long.parseLong(v.strip());
            } catch (NumberFormatException e) {
                credits = -1;
            }
            if (credits < 0) throw new IllegalArgumentException(name + " must be a whole number of credits (0 or more): " + v);
            policy = policy.withMonthlyAllowance(p, credits);
        }
        return policy;
    }

    public CreditPolicy withMonthlyAllowance(Plan plan, long credits) {
        Map<Plan, Long> m = new EnumMap<>(monthlyAllowance);
        m.put(plan, credits);
        return new CreditPolicy(m);
    }

    public long monthlyAllowance(Plan plan) {
        return monthlyAllowance.get(plan);
    }
}
