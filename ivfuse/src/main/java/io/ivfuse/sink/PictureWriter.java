package io.ivfuse.sink;

import java.nio.ByteBuffer;

/** Takes one output's pictures (packed YUV 4:2:0 of its view's size) on the thread that owns it. */
interface PictureWriter extends AutoCloseable {

    /**
     * @param frameIndex  the ring's output frame number
     * @param timestampUs presentation time from the output's first frame
     */
    void write(ByteBuffer yuv420p, long frameIndex, long timestampUs);

    /** The encoder ("png", "display" for those). */
    String encoder();

    /** Finishes (a file's trailer); idempotent. */
    @Override
    void close();

    /**
     * After closing: how many of the {@code accepted} pictures a reader finds on disk. They all are
     * unless a write or the trailer failed; then a file's are counted in it.
     */
    default long framesOnDisk(long accepted) {
        return accepted;
    }

    /** One encoder for the whole run, writing {@code file} (null: frames are not counted back, e.g. HLS). */
    static PictureWriter of(VideoEncoder encoder, java.nio.file.Path file) {
        return new PictureWriter() {
            @Override
            public long framesOnDisk(long accepted) {
                return encoder.failed() && file != null ? FileFrames.count(file) : accepted;
            }

            @Override
            public void write(ByteBuffer yuv420p, long frameIndex, long timestampUs) {
                encoder.write(yuv420p, timestampUs);
            }

            @Override
            public String encoder() {
                return encoder.codec();
            }

            @Override
            public void close() {
                encoder.close();
            }
        };
    }
}
