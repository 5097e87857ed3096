package io.ivfuse.archive;

import io.ivfuse.IvfuseException;
import io.ivfuse.job.Natives;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Collectors;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;

/**
 * Joins a pair's segment files into its output without re-encoding: FFmpeg's concat demuxer reads
 * them as one stream (each file's timestamps moved on by the ones before), and its packets are
 * copied into the output container. The output appears complete or not at all (a hidden name,
 * renamed); the segment folder is removed after.
 */
final class SegmentJoin {
    private SegmentJoin() {
    }

    /** Writes {@code output} from {@code segments} (in order); returns the packets written, one per frame. */
    static long join(List<Path> segments, Path output) {
        Natives.ffmpeg();
        Path list = output.resolveSibling("." + output.getFileName() + ".concat");
        String name = output.getFileName().toString();
        Path partial = output.resolveSibling("." + name + ".joining" + name.substring(Math.max(0, name.lastIndexOf('.'))));
        long packets = 0;
        try {
            // ffconcat quoting: a path in single quotes, a quote inside written as '\''.
            Files.writeString(list, "ffconcat version 1.0\n" + segments.stream()
                    .map(p -> "file '" + p.toAbsolutePath().toString().replace("'", "'\\''") + "'")
                    .collect(Collectors.joining("\n")) + "\n");
            try (FFmpegFrameGrabber in = new FFmpegFrameGrabber(list.toFile())) {
                in.setFormat("concat");
                in.setOption("safe", "0");
                in.start();
                try (FFmpegFrameRecorder out = new FFmpegFrameRecorder(partial.toFile(), in.getImageWidth(), in.getImageHeight(), 0)) {
                    out.start(in.getFormatContext());
                    AVPacket packet;
                    while ((packet = in.grabPacket()) != null) {
                        if (out.recordPacket(packet)) {
                            packets++;
                        }
                    }
                    out.stop();
                }
                in.stop();
            }
            Files.move(partial, output, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return packets;
        } catch (IOException e) { // the grabber's and recorder's exceptions too
            throw new IvfuseException("joining the segments of " + output + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(list);
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                // the join's outcome stands; a leftover hidden file is harmless
            }
        }
    }
}
