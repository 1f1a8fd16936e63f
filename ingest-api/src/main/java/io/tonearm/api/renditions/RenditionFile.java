package io.tonearm.api.renditions;

import java.nio.file.Path;

/**
 * One file a producer made, still in its work directory; stored as a blob under {@code name}.
 *
 * @param name        what the file is served as ({@code waveform.png}, {@code index.m3u8}, {@code segment-00000.ts})
 * @param contentType its media type when served
 */
record RenditionFile(String name, String contentType, Path path) {
}
