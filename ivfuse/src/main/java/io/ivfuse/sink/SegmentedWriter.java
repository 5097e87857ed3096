package io.ivfuse.sink;

import io.ivfuse.IvfuseException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Segmented recording: a new file every {@code segment_seconds} of stream time, each a complete
 * file of its own (its own header, trailer and timestamps from 0; it starts with a keyframe since
 * each segment is a fresh encoder). Every frame goes to exactly one segment. Files are named by
 * their start time: the wall clock when the run's first frame was written plus the segment's
 * stream time, so a file input processed faster than real time still gets distinct, ordered
 * names.
 */
final class SegmentedWriter implements PictureWriter {
    private static final Logger log = LoggerFactory.getLogger(SegmentedWriter.class);
    private final String pattern;
    private final OutputTarget target;
    private final VideoEncoder.Choice choice;
    private final int width;
    private final int height;
    private final double fps;
    private final long segmentUs;
    private final long halfFrameUs;
    private final long startMillis = System.currentTimeMillis();
    private final List<Path> files = new ArrayList<>();
    private VideoEncoder current;
    private long segmentStartUs;
    /** Frames in the current segment, and in the segments finished before it. */
    private long currentFrames;
    private long finishedFrames;
    private boolean closed;

    SegmentedWriter(OutputTarget target, String pattern, int width, int height, double fps) {
        this.target = target;
        this.pattern = pattern;
        this.width = width;
        this.height = height;
        this.fps = fps > 0 ? fps : 30;
        this.segmentUs = Math.round(target.segmentSeconds() * 1e6);
        this.halfFrameUs = Math.round(0.5e6 / this.fps);
        Path dir = Path.of(pattern).toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IvfuseException(target.label() + ": cannot create the directory " + dir + " (" + e.getMessage() + ")", e);
        }
        this.choice = VideoEncoder.choose(new MuxTarget(pattern, target.muxer(), target.options(), false, target.label()),
                width, height, this.fps, target.encoding());
        open(0); // now, so a problem with the destination shows at start
    }

    private void open(long startUs) {
        ZonedDateTime t = ZonedDateTime.ofInstant(Instant.ofEpochMilli(startMillis + startUs / 1000), ZoneId.systemDefault());
        Path file = SegmentNames.next(pattern, t, target.label());
        MuxTarget mux = new MuxTarget(file.toString(), target.muxer(), target.options(), false, "output " + file);
        try {
            current = VideoEncoder.start(mux, choice, width, height, fps, target.encoding());
        } catch (VideoEncoder.StartException e) {
            discard(file); // a new name: only this start made it
            if (startUs == 0) {
                throw e;
            }
            throw new OutputWriteException(e.getMessage(), e); // mid-run: the recording so far is kept
        }
        segmentStartUs = startUs;
        files.add(file);
        if (files.size() == 1) {
            log.info("recording {} in {} s segments with {} (first: {})", target.shown(), target.segmentSeconds(),
                    choice.codec(), file.getFileName());
        } else {
            log.debug("segment {}", file);
        }
    }

    @Override
    public void write(ByteBuffer yuv420p, long frameIndex, long timestampUs) {
        // Cut at the first frame at or past the segment length (half a frame early, against
        // rounded timestamps), so a 2 s segment at 30 fps holds exactly 60 frames.
        if (currentFrames > 0 && timestampUs - segmentStartUs >= segmentUs - halfFrameUs) {
            current.close();
            finishedFrames += currentFrames;
            currentFrames = 0;
            open(timestampUs);
        }
        current.write(yuv420p, timestampUs - segmentStartUs);
        currentFrames++;
    }

    /** Finished segments hold all their frames; a segment whose write or trailer failed is counted in its file. */
    @Override
    public long framesOnDisk(long accepted) {
        return current.failed() ? finishedFrames + FileFrames.count(files.get(files.size() - 1)) : accepted;
    }

    /** The segment files so far, in order. */
    List<Path> files() {
        return List.copyOf(files);
    }

    /** Removes the (empty) first segment after a failed run that wrote nothing. */
    void discardEmpty() {
        if (files.size() == 1 && currentFrames == 0) {
            discard(files.get(0));
        }
    }

    private static void discard(Path segment) {
        try {
            Files.deleteIfExists(segment);
        } catch (IOException e) {
            log.warn("could not remove the empty segment {}: {}", segment, e.getMessage());
        }
    }

    @Override
    public String encoder() {
        return choice.codec();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            current.close();
        }
    }
}
