package io.tonearm.analysis.testing;

import io.tonearm.analysis.decode.AudioInfo;
import io.tonearm.analysis.decode.Decoders;
import io.tonearm.analysis.decode.PcmStream;
import io.tonearm.analysis.output.OutputRef;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/** A file an analyzer wrote, decoded back with the production decoder (so the file must be valid to ffmpeg too). */
public record DecodedAudio(float[] samples, int sampleRate, int channels) {

    public static DecodedAudio of(OutputRef ref) throws Exception {
        return of(Path.of(URI.create(ref.location())));
    }

    public static DecodedAudio of(Path file) throws Exception {
        AudioInfo info = Decoders.standard().probe(file);
        try (PcmStream stream = Decoders.standard().open(file, info, Duration.ofMinutes(1))) {
            int block = 4096;
            float[] buffer = new float[block * info.channels()];
            float[] all = new float[1 << 16];
            int size = 0;
            int n;
            while ((n = stream.read(buffer, block)) >= 0) {
                int count = n * info.channels();
                if (size + count > all.length) all = Arrays.copyOf(all, Math.max(all.length * 2, size + count));
                System.arraycopy(buffer, 0, all, size, count);
                size += count;
            }
            return new DecodedAudio(Arrays.copyOf(all, size), info.sampleRate(), info.channels());
        }
    }

    public long frames() {
        return samples.length / channels;
    }
}
