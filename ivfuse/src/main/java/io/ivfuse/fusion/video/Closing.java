package io.ivfuse.fusion.video;

/** Closes native owners whose close() declares Exception (OpenCV's Pointer subclasses do not throw). */
final class Closing {
    private Closing() {
    }

    static void close(AutoCloseable... owned) {
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
