package io.tonearm.analysis.transcription;

/**
 * Model frame index → seconds, as upstream {@code model_frames_to_time}: frames are 256 samples apart at 22050 Hz,
 * less a correction per 172 frames, {@code (256/22050)·(172 − 43844/256) + 0.0018} s, because consecutive windows
 * overlap. (Concatenated frames really advance 142 per 36164 samples; upstream's correction matches that
 * on average — within 0.4 ms an hour — and locally within −8.5…+1.8 ms, far inside the ±50 ms onset tolerance.)
 */
final class FrameTimes {

    private static final double FRAME_SECONDS = 256.0 / 22050;
    private static final double WINDOW_OFFSET = FRAME_SECONDS * (BasicPitchWindows.MODEL_FRAMES - BasicPitchWindows.WINDOW / 256.0) + 0.0018;

    private FrameTimes() {
    }

    static double seconds(int frame) {
        return frame * FRAME_SECONDS - WINDOW_OFFSET * Math.floorDiv(frame, BasicPitchWindows.MODEL_FRAMES);
    }
}
