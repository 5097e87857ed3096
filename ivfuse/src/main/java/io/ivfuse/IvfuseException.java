package io.ivfuse;

/**
 * A problem the user can fix: bad input, bad configuration, an unwritable output. Its message is
 * one line that names the file, key or frame at fault; the command line prints it without a stack
 * trace and exits non-zero.
 */
public class IvfuseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public IvfuseException(String message) {
        super(message);
    }

    public IvfuseException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The process exit code for this error: 2 (bad input, usage) unless a subclass says otherwise. */
    public int exitCode() {
        return 2;
    }
}
