package io.tonearm.sinks.fetch;

import java.net.UnknownHostException;

/**
 * Raised inside OkHttp when a connection would go (or went) somewhere the policy did not vet. Extends
 * UnknownHostException only because OkHttp's {@code Dns.lookup} may throw nothing else.
 */
final class PinViolation extends UnknownHostException {
    PinViolation(String message) {
        super(message);
    }
}
