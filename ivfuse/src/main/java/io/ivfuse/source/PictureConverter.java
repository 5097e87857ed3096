package io.ivfuse.source;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GRAY8;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_NV12;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_NV21;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV422P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV444P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ422P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ444P;
import static org.bytedeco.ffmpeg.global.avutil.av_free;
import static org.bytedeco.ffmpeg.global.avutil.av_image_copy;
import static org.bytedeco.ffmpeg.global.avutil.av_image_get_buffer_size;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Converts decoded pictures to the pixel format and size the pipeline reads ({@code yuv420p}
 * visible, {@code gray} or {@code gray16le} IR), writing them into a {@link PictureTarget}: a
 * queue slot, so a frame is copied once between the decoder and the queue, or a decoder's own
 * buffer. The bytes are swscale's (PictureConverterTest compares every route with swscale), by
 * the cheapest route:
 * <ul>
 * <li>{@link Route#COPY}: the picture already has that format and size: each plane copied;</li>
 * <li>{@link Route#LUMA}: gray wanted from planar YUV of that size: the Y plane copied, and from
 * video-range YUV expanded to full range ({@link LumaRange}), as swscale does, but about four times
 * faster (swscale takes its general path for the range change);</li>
 * <li>{@link Route#SCALE}: anything else: swscale, straight into the target when its planes and rows
 * are 16-byte aligned (swscale's SIMD wants that, and warns once otherwise), else through an aligned
 * buffer of its own and a copy.</li>
 * </ul>
 * One thread uses it at a time; it owns its scaler, range mapper and buffer.
 */
final class PictureConverter implements AutoCloseable {
    private static final int ALIGN = 32;

    enum Route { COPY, LUMA, SCALE }

    private final int pixelFormat;
    private final int width;
    private final int height;
    private final LumaRange range = new LumaRange();
    private SwsContext scaler;
    private int scalerWidth;
    private int scalerHeight;
    private int scalerFormat = -1;
    private Route route;
    private boolean expand;
    private BytePointer staging;
    private PictureTarget stagingTarget;
    private boolean closed;

    PictureConverter(int pixelFormat, int width, int height) {
        this.pixelFormat = pixelFormat;
        this.width = width;
        this.height = height;
    }

    /** Writes {@code picture} (its {@code data[]} and {@code linesize[]} arrays given) converted into {@code target}. */
    void convert(AVFrame picture, PointerPointer<?> pictureData, IntPointer pictureLines, PictureTarget target) {
        int w = picture.width();
        int h = picture.height();
        int f = picture.format();
        if (w != scalerWidth || h != scalerHeight || f != scalerFormat) {
            choose(w, h, f);
        }
        switch (route) {
            case COPY -> av_image_copy(target.data, target.lines, pictureData, pictureLines, pixelFormat, w, h);
            case LUMA -> {
                av_image_copy(target.data, target.lines, pictureData, pictureLines, AV_PIX_FMT_GRAY8, w, h);
                if (expand) {
                    range.toFull(target.luma, target.luma);
                }
            }
            case SCALE -> {
                if (target.aligned) {
                    sws_scale(scaler, pictureData, pictureLines, 0, h, target.data, target.lines);
                } else {
                    PictureTarget via = staging();
                    sws_scale(scaler, pictureData, pictureLines, 0, h, via.data, via.lines);
                    av_image_copy(target.data, target.lines, via.data, via.lines, pixelFormat, width, height);
                }
            }
        }
    }

    /** The route of the last picture (for tests). */
    Route route() {
        return route;
    }

    private void choose(int w, int h, int f) {
        if (scaler != null) {
            sws_freeContext(scaler);
            scaler = null;
        }
        boolean sameSize = w == width && h == height;
        if (sameSize && f == pixelFormat) {
            route = Route.COPY;
        } else if (sameSize && pixelFormat == AV_PIX_FMT_GRAY8 && (videoRangeYuv(f) || fullRangeYuv(f))) {
            route = Route.LUMA;
            expand = videoRangeYuv(f);
        } else {
            route = Route.SCALE;
            scaler = sws_getContext(w, h, f, width, height, pixelFormat, SWS_BILINEAR, null, null, (DoublePointer) null);
            if (scaler == null) {
                throw new IllegalStateException("cannot convert " + w + "x" + h + " " + VideoSource.pixelFormatName(f)
                        + " to " + VideoSource.pixelFormatName(pixelFormat));
            }
        }
        scalerWidth = w;
        scalerHeight = h;
        scalerFormat = f;
    }

    /** 8-bit planar or semi-planar YUV in video range, whose first plane is Y: swscale expands it to full-range gray. */
    private static boolean videoRangeYuv(int f) {
        return f == AV_PIX_FMT_YUV420P || f == AV_PIX_FMT_YUV422P || f == AV_PIX_FMT_YUV444P
                || f == AV_PIX_FMT_NV12 || f == AV_PIX_FMT_NV21;
    }

    /** The JPEG (full-range) planar YUV formats: their Y plane is the gray picture as it is. */
    private static boolean fullRangeYuv(int f) {
        return f == AV_PIX_FMT_YUVJ420P || f == AV_PIX_FMT_YUVJ422P || f == AV_PIX_FMT_YUVJ444P;
    }

    private PictureTarget staging() {
        if (stagingTarget == null) {
            int size = av_image_get_buffer_size(pixelFormat, width, height, ALIGN);
            staging = new BytePointer(av_malloc(size)).capacity(size);
            stagingTarget = PictureTarget.over(staging.asByteBuffer(), pixelFormat, width, height, ALIGN, false);
        }
        return stagingTarget;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (scaler != null) {
            sws_freeContext(scaler);
        }
        if (stagingTarget != null) {
            stagingTarget.close();
            av_free(staging);
        }
        range.close();
    }
}
