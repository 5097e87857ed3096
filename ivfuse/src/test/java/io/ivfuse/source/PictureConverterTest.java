package io.ivfuse.source;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GRAY12LE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GRAY16LE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GRAY8;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_NV12;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_NV21;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV422P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV444P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ422P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ444P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_image_get_buffer_size;
import static org.bytedeco.ffmpeg.global.avutil.av_pix_fmt_count_planes;
import static org.bytedeco.ffmpeg.global.avutil.av_pix_fmt_desc_get;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.job.Natives;
import io.ivfuse.source.PictureConverter.Route;
import java.nio.ByteBuffer;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every route of {@link PictureConverter} gives swscale's bytes (the converter's own contract),
 * into a queue slot and into an aligned buffer, at a 16-aligned size (256 wide: the luma covers
 * all 256 values) and at one whose packed rows are not aligned (250 wide: the slot then takes
 * swscale's output through the converter's aligned buffer).
 */
class PictureConverterTest {

    @BeforeAll
    static void natives() {
        Natives.fusionRun();
    }

    @Test
    void grayFromGrayAndYuvIsTheLumaPlaneAsSwscaleMakesIt() {
        check(AV_PIX_FMT_GRAY8, AV_PIX_FMT_GRAY8, Route.COPY);
        for (int f : new int[] {AV_PIX_FMT_YUV420P, AV_PIX_FMT_YUV422P, AV_PIX_FMT_YUV444P, AV_PIX_FMT_NV12, AV_PIX_FMT_NV21,
            AV_PIX_FMT_YUVJ420P, AV_PIX_FMT_YUVJ422P, AV_PIX_FMT_YUVJ444P}) {
            check(f, AV_PIX_FMT_GRAY8, Route.LUMA);
        }
        check(AV_PIX_FMT_RGB24, AV_PIX_FMT_GRAY8, Route.SCALE);
    }

    @Test
    void yuv420pIsCopiedAndOtherFormatsScaled() {
        check(AV_PIX_FMT_YUV420P, AV_PIX_FMT_YUV420P, Route.COPY);
        for (int f : new int[] {AV_PIX_FMT_YUV444P, AV_PIX_FMT_YUVJ420P, AV_PIX_FMT_NV12, AV_PIX_FMT_RGB24}) {
            check(f, AV_PIX_FMT_YUV420P, Route.SCALE);
        }
    }

    @Test
    void sixteenBitGrayIsCopiedIntoTheDecodersBuffer() {
        for (int w : new int[] {256, 250}) {
            compare(AV_PIX_FMT_GRAY16LE, w, 6, AV_PIX_FMT_GRAY16LE, w, 6, null, Route.COPY);
            compare(AV_PIX_FMT_GRAY12LE, w, 6, AV_PIX_FMT_GRAY16LE, w, 6, null, Route.SCALE);
        }
    }

    @Test
    void aPictureOfAnotherSizeIsScaled() {
        compare(AV_PIX_FMT_YUV420P, 500, 12, AV_PIX_FMT_GRAY8, 250, 6, InputFrame.gray(250, 6), Route.SCALE);
        compare(AV_PIX_FMT_YUV420P, 500, 12, AV_PIX_FMT_YUV420P, 256, 6, InputFrame.yuv420(256, 6), Route.SCALE);
    }

    /** {@code from} to {@code to} at both sizes, into a slot and into an aligned buffer. */
    private static void check(int from, int to, Route route) {
        for (int w : new int[] {256, 250}) {
            int h = 6;
            InputFrame slot = to == AV_PIX_FMT_GRAY8 ? InputFrame.gray(w, h) : InputFrame.yuv420(w, h);
            compare(from, w, h, to, w, h, slot, route);
        }
    }

    private static void compare(int from, int w, int h, int to, int outW, int outH, InputFrame slot, Route route) {
        String what = VideoSource.pixelFormatName(from) + " " + w + "x" + h + " -> " + VideoSource.pixelFormatName(to)
                + " " + outW + "x" + outH;
        AVFrame picture = picture(from, w, h);
        int size = av_image_get_buffer_size(to, outW, outH, 32);
        ByteBuffer expected = ByteBuffer.allocateDirect(size);
        ByteBuffer own = ByteBuffer.allocateDirect(size);
        try (PointerPointer<BytePointer> data = new PointerPointer<>(picture);
             PictureTarget reference = PictureTarget.over(expected, to, outW, outH, 32, false);
             PictureTarget ownTarget = PictureTarget.over(own, to, outW, outH, 32, to == AV_PIX_FMT_GRAY8);
             PictureTarget slotTarget = slot == null ? null : PictureTarget.of(slot);
             PictureConverter converter = new PictureConverter(to, outW, outH)) {
            SwsContext sws = sws_getContext(w, h, from, outW, outH, to, SWS_BILINEAR, null, null, (DoublePointer) null);
            sws_scale(sws, data, picture.linesize(), 0, h, reference.data, reference.lines);
            sws_freeContext(sws);
            converter.convert(picture, data, picture.linesize(), ownTarget);
            assertEquals(route, converter.route(), what + ": route");
            assertPlanes(expected, reference, own, ownTarget, to, outW, outH, what + " (aligned buffer)");
            if (slot != null) {
                converter.convert(picture, data, picture.linesize(), slotTarget);
                assertEquals(outW % 16 == 0 && (outW / 2) % 16 == 0 || to == AV_PIX_FMT_GRAY8 && outW % 16 == 0,
                        slotTarget.aligned, what + ": slot alignment");
                ByteBuffer packed = ByteBuffer.allocateDirect(outW * outH + (slot.chroma() == null ? 0 : slot.chroma().capacity()));
                packed.put(0, slot.plane().data(), 0, outW * outH);
                if (slot.chroma() != null) {
                    packed.put(outW * outH, slot.chroma(), 0, slot.chroma().capacity());
                }
                try (PictureTarget packedTarget = PictureTarget.over(packed, to, outW, outH, 1, false)) {
                    assertPlanes(expected, reference, packed, packedTarget, to, outW, outH, what + " (queue slot)");
                }
            }
        } finally {
            av_frame_free(picture);
        }
    }

    /** A picture whose every plane holds a pattern; plane 0 row 0 counts 0, 1, 2... */
    private static AVFrame picture(int format, int w, int h) {
        AVFrame f = av_frame_alloc();
        f.format(format).width(w).height(h);
        assertEquals(0, av_frame_get_buffer(f, 0));
        int chromaShift = av_pix_fmt_desc_get(format).log2_chroma_h();
        for (int p = 0; p < av_pix_fmt_count_planes(format); p++) {
            BytePointer plane = f.data(p);
            int rows = p == 0 ? h : -((-h) >> chromaShift);
            int line = f.linesize(p);
            for (int y = 0; y < rows; y++) {
                for (int x = 0; x < line; x++) {
                    plane.put((long) y * line + x, (byte) (p == 0 ? x + 37 * y : x * 7 + y * 13 + 50 * p));
                }
            }
        }
        return f;
    }

    private static void assertPlanes(ByteBuffer expected, PictureTarget e, ByteBuffer actual, PictureTarget a, int format,
                                     int w, int h, String what) {
        int bytesPerSample = av_pix_fmt_desc_get(format).comp(0).step();
        int chromaShiftW = av_pix_fmt_desc_get(format).log2_chroma_w();
        int chromaShiftH = av_pix_fmt_desc_get(format).log2_chroma_h();
        long eBase = e.data.get(0).address();
        long aBase = a.data.get(0).address();
        int compared = 0;
        for (int p = 0; p < av_pix_fmt_count_planes(format); p++) {
            int rows = p == 0 ? h : -((-h) >> chromaShiftH);
            int rowBytes = (p == 0 ? w : -((-w) >> chromaShiftW)) * bytesPerSample;
            int eOff = (int) (e.data.get(p).address() - eBase);
            int aOff = (int) (a.data.get(p).address() - aBase);
            for (int y = 0; y < rows; y++) {
                for (int x = 0; x < rowBytes; x++) {
                    int ev = expected.get(eOff + y * e.lines.get(p) + x) & 0xff;
                    int av = actual.get(aOff + y * a.lines.get(p) + x) & 0xff;
                    if (ev != av) {
                        throw new AssertionError(what + ": plane " + p + " (" + x + ", " + y + ") is " + av + ", swscale gives " + ev);
                    }
                    compared++;
                }
            }
        }
        assertTrue(compared >= w * h, what + ": compared " + compared + " bytes");
    }
}
