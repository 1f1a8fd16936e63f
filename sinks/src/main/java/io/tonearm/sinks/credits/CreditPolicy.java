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

    public CreditPolicy withMonthlyAllowance(Plan plan, long credits) {
        Map<Plan, Long> m = new EnumMap<>(monthlyAllowance);
        m.put(plan, credits);
        return new CreditPolicy(m);
    }

    public long monthlyAllowance(Plan plan) {
        return monthlyAllowance.get(plan);
    }
}
