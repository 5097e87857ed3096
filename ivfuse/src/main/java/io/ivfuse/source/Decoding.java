package io.ivfuse.source;

/**
 * What one input role decodes: how its stream is opened and how a decoded frame is copied into a
 * queue slot. {@link VisibleDecoding} keeps YUV 4:2:0 (Y to full range, chroma untouched);
 * {@link InfraredDecoding} keeps 8-bit gray (16-bit thermal through an automatic gain).
 */
public interface Decoding {

    /** Opens the input, scaled to {@code width} x {@code height} when positive (a reconnection). */
    VideoSource open(InputPlan plan, int width, int height);

    /** A copier for one connection (it keeps per-connection state such as a gain's smoothing). */
    Copier copier(VideoSource video);

    /** An empty queue slot for frames of this size. */
    InputFrame newFrame(int width, int height);

    /** Copies the grabber's current frame (valid until its next grab) into a slot. */
    interface Copier extends AutoCloseable {
        void copy(VideoSource video, InputFrame into);

        @Override
        void close();
    }
}
