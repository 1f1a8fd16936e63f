package io.tonearm.sinks.assets;

import io.tonearm.analysis.decode.Decoder;
import io.tonearm.analysis.decode.Decoders;
import io.tonearm.analysis.testing.WavFiles;
import io.tonearm.sinks.blobs.FileSystemBlobStore;
import io.tonearm.sinks.blobs.StoredBlob;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The real decoder's probe of stored bytes, as the API and the pipeline both write it to an asset's row. */
class ProbeOutcomeTest {

    @TempDir
    static Path dir;
    static FileSystemBlobStore blobs;
    final Decoder decoder = Decoders.standard();

    @BeforeAll
    static void open() throws Exception {
        blobs = new FileSystemBlobStore(dir.resolve("blobs"));
    }

    @Test
    void aWavIsReadyWithItsDurationRateAndChannels() throws Exception {
        float[] stereo = new float[44100 * 2 * 5 / 2]; // 2.5 s of silence, 44.1 kHz stereo
        StoredBlob blob = store(Files.newInputStream(WavFiles.write(dir.resolve("a.wav"), stereo, 44100, 2, 16)));

        ProbeOutcome o = ProbeOutcome.probe(decoder, blobs, blob.sha256());

        assertThat(o.isReady()).isTrue();
        assertThat(o.errorCode()).isNull();
        assertThat(o.info().durationSeconds()).isCloseTo(2.5, within(0.001));
        assertThat(o.info().sampleRate()).isEqualTo(44100);
        assertThat(o.info().channels()).isEqualTo(2);
        assertThat(o.info().container()).isEqualTo("wav");
        assertThat(o.info().codec()).isEqualTo("pcm_s16le");
    }

    @Test
    void bytesThatOnlyStartLikeAnMp3FailWithTheDecodersReason() throws Exception {
        byte[] noise = new byte[50_000];
        new Random(7).nextBytes(noise);
        System.arraycopy("ID3".getBytes(StandardCharsets.US_ASCII), 0, noise, 0, 3); // passes the scan's first-bytes check
        StoredBlob blob = store(new ByteArrayInputStream(noise));

        ProbeOutcome o = ProbeOutcome.probe(decoder, blobs, blob.sha256());

        assertThat(o.isReady()).isFalse();
        assertThat(o.info()).isNull();
        assertThat(o.errorCode()).isEqualTo("undecodable_audio.not_media");
        assertThat(o.errorMessage()).isNotBlank();
    }

    @Test
    void aBlobThatIsNotThereIsAnIoFailureNotAnException() {
        ProbeOutcome o = ProbeOutcome.probe(decoder, blobs, "0".repeat(64));

        assertThat(o.errorCode()).isEqualTo("undecodable_audio.io");
        assertThat(o.errorMessage()).startsWith("blob unreadable: ");
    }

    @Test
    void aBugInTheProbeIsAnInternalErrorNotAnException() {
        ProbeOutcome o = ProbeOutcome.probe(decoder, blobs, "not a sha-256"); // the store refuses the name

        assertThat(o.errorCode()).isEqualTo("internal_error");
        assertThat(o.errorMessage()).isEqualTo("probe failed: IllegalArgumentException");
    }

    private static StoredBlob store(InputStream in) throws Exception {
        try (in) {
            return blobs.put(in, 1 << 24);
        }
    }
}
