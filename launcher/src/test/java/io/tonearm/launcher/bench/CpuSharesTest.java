package io.tonearm.launcher.bench;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Thread names as a bench's stack has them (read off {@code jcmd <pid> Thread.print} during a pipeline bench). */
class CpuSharesTest {

    @ParameterizedTest
    @CsvSource(delimiter = ';', nullValues = "-", value = {
            "recording-coordinator -> search: Writer (1/2)#0 ; analysis threads",
            "postgres: Writer (2/2)#0 ; postgres sink",
            "JettyServerThreadPool-154 ; API (HTTP, outbox)",
            "outbox-relay-up ; API (HTTP, outbox)",
            "data-plane-kafka-request-handler-3 ; Kafka broker",
            "data-plane-kafka-network-thread-1-PLAINTEXT-PLAINTEXT-0 ; Kafka broker",
            "kafka-1-raft-io-thread ; Kafka broker",
            "kafka-1-metadata-loader-event-handler ; Kafka broker",
            "quorum-controller-1-event-handler ; Kafka broker",
            "TxnMarkerSenderThread-1 ; Kafka broker",
            "group-coordinator-event-processor-2 ; Kafka broker",
            "ExpirationReaper-1-Fetch ; Kafka broker",
            "executor-Fetch ; Kafka broker",
            "kafka-scheduler-4 ; Kafka broker",
            "HttpClient-3-Worker-1 ; bench HTTP clients",
            // Kafka's clients, Flink's runtime and the rest stay in the rest of the JVM
            "kafka-producer-network-thread | producer-tonearm-outbox-up ; -",
            "kafka-admin-client-thread | adminclient-2 ; -",
            "Source Data Fetcher for Source: inbound-0 (1/2)#0 ; -",
            "flink-pekko.actor.default-dispatcher-5 ; -",
            "pool-3-thread-1 ; -",
    })
    void namesTheirPart(String thread, String part) {
        assertThat(CpuShares.javaPart(thread)).isEqualTo(part);
    }
}
