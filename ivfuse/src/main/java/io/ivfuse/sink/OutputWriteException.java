package io.ivfuse.sink;

import io.ivfuse.IvfuseException;

/**
 * Writing an output failed during the run (disk full, I/O error, a file that could not be
 * finished): the run stops, reports what did reach the disk, and exits 2 with this one line, which
 * names the output and the cause (FFmpeg's error as {@code strerror} text, e.g. "No space left on
 * device").
 */
public final class OutputWriteException extends IvfuseException {
    private static final long serialVersionUID = 1L;

    public OutputWriteException(String message, Throwable cause) {
        super(message, cause);
    }

    public OutputWriteException(String message) {
        super(message);
    }
}
