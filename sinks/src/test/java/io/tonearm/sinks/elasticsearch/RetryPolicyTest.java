package io.tonearm.sinks.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void backoffDoublesUpToItsCap() {
        RetryPolicy policy = new RetryPolicy(6, Duration.ofMillis(100), Duration.ofMillis(500));
        assertThat(policy.backoffAfter(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.backoffAfter(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.backoffAfter(3)).isEqualTo(Duration.ofMillis(400));
        assertThat(policy.backoffAfter(4)).isEqualTo(Duration.ofMillis(500));
        assertThat(policy.backoffAfter(60)).isEqualTo(Duration.ofMillis(500));
        assertThat(policy.mayRetryAfter(5)).isTrue();
        assertThat(policy.mayRetryAfter(6)).isFalse();
    }

    @Test
    void retriesThrottlingServerErrorsAndLostConnectionsOnly() {
        assertThat(RetryPolicy.isRetryable(429)).isTrue();
        assertThat(RetryPolicy.isRetryable(503)).isTrue();
        assertThat(RetryPolicy.isRetryable(400)).isFalse();
        assertThat(RetryPolicy.isRetryable(404)).isFalse();
        assertThat(RetryPolicy.isRetryable(new ConnectException("refused"))).isTrue();
        assertThat(RetryPolicy.isRetryable(new IOException("reset"))).isTrue();
        assertThat(RetryPolicy.isRetryable(new IllegalStateException("bug"))).isFalse();
    }
}
