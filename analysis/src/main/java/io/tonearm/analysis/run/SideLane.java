package io.tonearm.analysis.run;

import io.tonearm.analysis.SampleListener;
import io.tonearm.analysis.decode.AudioInfo;
import io.tonearm.analysis.output.OutputStore;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Analyzers that {@link io.tonearm.analysis.Analyzer#runsBesideOthers run beside the others}, on a thread of their
 * own: a second {@link StreamingRecording} fed with copies of the main one's blocks (the analysis signal after its
 * one conversion), so the decode and the resampling still happen once. The queue is bounded, so a slow lane
 * slows the decode rather than filling memory; an {@link Error} on the lane's thread is rethrown to the caller.
 */
final class SideLane implements AutoCloseable {

    private static final int QUEUE_BLOCKS = 16;

    /** A copied block of one signal; {@code samples == null} marks the end. */
    private record Block(boolean original, float[] samples, int frames) {
    }

    private static final Block END = new Block(false, null, 0);

    private final StreamingRecording recording;
    private final BlockingQueue<Block> queue = new ArrayBlockingQueue<>(QUEUE_BLOCKS);
    private final BlockingQueue<float[]> free = new ArrayBlockingQueue<>(QUEUE_BLOCKS + 2);
    private Thread thread;
    private volatile Throwable death;

    SideLane(AudioInfo info, OutputStore outputs) {
        this.recording = new StreamingRecording(info, outputs);
    }

    /** Where the lane's analyzers are started. */
    StreamingRecording recording() {
        return recording;
    }

    /** Subscribes the lane to the signals its analyzers use on {@code main} (within a slot of main's), and starts it. */
    void attachTo(StreamingRecording main) {
        if (recording.usesOriginal()) main.onOriginal(feed(true, main.info().channels()));
        if (recording.usesAnalysis()) main.onAnalysisSignal(feed(false, 1));
        thread = new Thread(this::run, "tonearm-side-lane-" + Thread.currentThread().getName());
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits for the lane to have delivered everything, ended its subscribers and stopped. */
    void awaitEnd() {
        if (thread == null) return;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
        }
        if (death instanceof Error e) throw e;
        if (death != null) throw new IllegalStateException("the side lane failed", death);
    }

    /** Stops the lane without waiting for its input (the decode failed). */
    @Override
    public void close() {
        if (thread == null) return;
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private SampleListener feed(boolean original, int channels) {
        return new SampleListener() {
            @Override
            public void samples(float[] samples, int offset, int frames) {
                float[] copy = free.poll();
                int n = frames * channels;
                if (copy == null || copy.length < n) copy = new float[Math.max(n, AnalysisRunner.BLOCK_FRAMES * channels)];
                System.arraycopy(samples, offset, copy, 0, n);
                put(new Block(original, copy, frames));
            }

            @Override
            public void end() {
                if (!original || !recording.usesAnalysis()) put(END); // the analysis signal's end comes after the original's
            }
        };
    }

    private void put(Block b) {
        try {
            queue.put(b);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handing a block to the side lane", e);
        }
    }

    private void run() {
        try {
            for (Block b = queue.take(); b != END; b = queue.take()) {
                if (death == null) recording.dispatchConverted(b.original(), b.samples(), b.frames());
                free.offer(b.samples());
            }
            if (death == null) recording.endSubscribers();
        } catch (InterruptedException e) {
            // abandoned: the decode failed and nobody reads the lane's results
        } catch (Throwable t) {
            death = t; // subscribers' exceptions fail their slots in StreamingRecording; this is worse (an Error)
            drainUntilEnd();
        }
    }

    /** Keeps taking blocks after a death so the decode never blocks on a full queue. */
    private void drainUntilEnd() {
        try {
            while (queue.take() != END) {
                // dropped
            }
        } catch (InterruptedException ignored) {
            // abandoned
        }
    }
}
