package io.ivfuse.sink;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;

import io.ivfuse.IvfuseException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes each picture as {@code frame_000000.png} (colour, named by the frame's index) into a directory. */
final class PngSequenceWriter implements PictureWriter {
    /** Frames are {@code frame_000000.png}, {@code frame_000001.png}... */
    static final String PREFIX = "frame_";
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
        Path file = directory.resolve(String.format(PREFIX + "%06d.png", frameIndex));
        boolean written;
        try {
            written = imwrite(file.toString(), converter.convert(yuv420p));
        } catch (RuntimeException e) {
            written = false;
        }
        if (!written) {
            throw new OutputWriteException("output " + file + ": could not write frame " + frameIndex + reason(file));
        }
    }

    /** OpenCV gives no reason; a full disk is the usual one. A partial file is removed. */
    private String reason(Path file) {
        try {
            Files.deleteIfExists(file);
            return Files.getFileStore(directory).getUsableSpace() == 0 ? " (No space left on device)" : "";
        } catch (IOException e) {
            return " (" + e.getMessage() + ")";
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
