package io.tonearm.pipeline;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class JobArgumentsTest {

    @Test
    void anEmptyOrAbsentArgumentIsNotGiven() {
        String[] args = {"a", ""};
        assertThat(JobArguments.optional(args, 0)).isEqualTo("a");
        assertThat(JobArguments.optional(args, 1)).isNull();
        assertThat(JobArguments.optional(args, 2)).isNull();
    }

    @Test
    void theBlobStoreArgumentWinsAndAnEmptyOneFallsBackToTheEnvironment() {
        assertThat(JobArguments.blobStore(new String[] {"s3://blobs/p"}, 0)).isEqualTo("s3://blobs/p");
        assumeTrue(System.getenv("TONEARM_BLOB_STORE") == null, "TONEARM_BLOB_STORE is set in this environment");
        assertThat(JobArguments.blobStore(new String[] {""}, 0)).as("neither given").isNull();
    }
}
