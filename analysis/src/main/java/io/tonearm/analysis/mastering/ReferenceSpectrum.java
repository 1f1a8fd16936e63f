package io.tonearm.analysis.mastering;

import io.tonearm.analysis.decode.AudioInfo;
import io.tonearm.analysis.decode.DecodeException;
import io.tonearm.analysis.decode.Decoder;
import io.tonearm.analysis.decode.Decoders;
import io.tonearm.analysis.decode.PcmStream;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The long-term spectrum of a reference recording, decoded once with the standard decoder, block by block. */
final class ReferenceSpectrum {

    static final Duration BUDGET = Duration.ofMinutes(10);

    private ReferenceSpectrum() {
    }

    /** @throws IllegalArgumentException naming the reason when the reference is missing or cannot be decoded */
    static LongTermSpectrum of(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("the reference recording " + file.getFileName() + " does not exist");
        }
        Decoder decoder = Decoders.standard();
        try {
            AudioInfo info = decoder.probe(file);
            LongTermSpectrum ltas = new LongTermSpectrum(info.sampleRate(), info.channels());
            try (PcmStream stream = decoder.open(file, info, BUDGET)) {
                int block = 8192;
                float[] buffer = new float[block * info.channels()];
                int n;
                while ((n = stream.read(buffer, block)) >= 0) ltas.samples(buffer, 0, n);
            }
            return ltas;
        } catch (DecodeException e) {
            throw new IllegalArgumentException("the reference recording cannot be decoded (" + e.error() + "): " + e.getMessage(), e);
        }
    }
}
