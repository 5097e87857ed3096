package io.ivfuse.sink;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;

import io.ivfuse.IvfuseException;
import io.ivfuse.pipeline.FrameEvent;
import io.ivfuse.pipeline.FrameGeometry;
import io.ivfuse.pipeline.FrameSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes each fused frame as {@code frame_000000.png} (colour) into a directory. */
public final class PngSequenceSink implements FrameSink {
    private final Path directory;
    private final YuvToBgr converter;
    private boolean closed;

    public PngSequenceSink(Path directory, FrameGeometry g) {
        if (g.width() % 2 != 0 || g.height() % 2 != 0) {
            throw new IvfuseException("output " + directory + ": PNG output needs even frame sizes, got "
                    + g.width() + "x" + g.height());
        }
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IvfuseException("output " + directory + ": cannot create the directory (" + e.getMessage() + ")", e);
        }
        if (!Files.isWritable(directory)) {
            throw new IvfuseException("output " + directory + ": directory is not writable");
        }
        this.directory = directory;
        this.converter = new YuvToBgr(g.width(), g.height());
    }

    @Override
    public void write(FrameEvent frame, FrameGeometry geometry) {
        Path file = directory.resolve(String.format("frame_%06d.png", frame.index));
        if (!imwrite(file.toString(), converter.convert(frame.output))) {
            throw new IvfuseException("output " + file + ": could not write frame " + frame.index);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            converter.close();
        }
    }
}
