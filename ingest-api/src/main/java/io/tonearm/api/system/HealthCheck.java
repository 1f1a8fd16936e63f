package io.tonearm.api.system;

/** One dependency the API needs (PostgreSQL, Kafka, the blob store). */
public interface HealthCheck {

    String name();

    /** True when usable; must answer within a couple of seconds. */
    boolean isHealthy();

    static HealthCheck of(String name, java.util.function.BooleanSupplier check) {
        return new HealthCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean isHealthy() {
                try {
                    return check.getAsBoolean();
                } catch (RuntimeException e) {
                    return false;
                }
            }
        };
    }
}
