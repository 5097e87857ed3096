package io.ivfuse.source;

import io.ivfuse.IvfuseException;

/**
 * A live input failed and did not come back within {@code max_reconnects}. The run finishes its
 * outputs and exits with {@link #EXIT_CODE}, so a supervisor (systemd {@code Restart=on-failure})
 * restarts it.
 */
public final class InputLostException extends IvfuseException {
    private static final long serialVersionUID = 1L;
    public static final int EXIT_CODE = 3;

    public InputLostException(String message) {
        super(message);
    }

    @Override
    public int exitCode() {
        return EXIT_CODE;
    }
}
