package io.ivfuse.sink;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;

import io.ivfuse.IvfuseException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes each picture as {@code frame_000000.png} (colour, named by the frame's index) into a directory. */
final class PngSequenceWriter implements PictureWriter {
    private final Path directory;
    private final YuvToBgr converter;
    private boolean closed;

    PngSequenceWriter(Path directory, int width, int height) {
        if (width % 2 != 0 || height % 2 != 0) {
            throw new IvfuseException("output " + directory + ": PNG output needs even frame sizes, got "
                    + width + "x" + height);
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
        this.converter = new YuvToBgr(width, height);
    }

    @Override
    public void write(ByteBuffer yuv420p, long frameIndex, long timestampUs) {
        Path file = directory.resolve(String.format("frame_%06d.png", frameIndex));
        if (!imwrite(file.toString(), converter.convert(yuv420p))) {
            throw new IvfuseException("output " + file + ": could not write frame " + frameIndex);
        }
    }

    @Override
    public String encoder() {
        return "png";
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            converter.close();
        }
    }
}
