package io.tonearm.api.renditions;

import java.nio.file.Path;
import java.util.List;

/** Makes one kind of rendition from an asset's bytes, within a bounded time. */
interface RenditionProducer {

    RenditionKind kind();

    /**
     * @param audio   the asset's bytes (a local file of the blob store)
     * @param workDir an empty directory of this run, deleted afterwards
     * @return the files to store; the first is the rendition's entry point (the PNG, the playlist)
     */
    List<RenditionFile> produce(Path audio, Path workDir) throws RenditionException;
}
