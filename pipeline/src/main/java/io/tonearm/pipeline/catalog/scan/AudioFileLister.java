package io.tonearm.pipeline.catalog.scan;

import io.tonearm.analysis.decode.AudioFileTypes;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.enumerate.NonSplittingRecursiveEnumerator;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

import java.io.IOException;
import java.util.List;

/**
 * flink-connector-files' recursive lister (any Flink file system), keeping files with an audio extension
 * ({@link AudioFileTypes}) and skipping hidden files and folders ({@code .x}, {@code _x}) below the root.
 */
final class AudioFileLister extends NonSplittingRecursiveEnumerator {

    AudioFileLister(Path root) {
        super(p -> p.equals(root) || !(p.getName().startsWith(".") || p.getName().startsWith("_")));
    }

    @Override
    protected void convertToSourceSplits(FileStatus file, FileSystem fs, List<FileSourceSplit> target) throws IOException {
        if (AudioFileTypes.contentType(file.getPath().getName()).isPresent()) {
            super.convertToSourceSplits(file, fs, target);
        }
    }
}
