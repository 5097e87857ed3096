package io.ivfuse.source;

/** A stream of gray frames read into holders the caller owns. */
public interface FrameReader {

    /** Reads the next frame into {@code into}; false at the end of the stream. */
    boolean read(TimedPlane into);
}
