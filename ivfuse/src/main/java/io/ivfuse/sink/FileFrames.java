package io.ivfuse.sink;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_CORRUPT;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;

import io.ivfuse.util.FfmpegLog;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avutil.AVDictionary;

/**
 * The frames a reader finds in a video file, for the summary after a write error: complete video
 * packets, found by demuxing (no decoding). A packet cut off by the end of the file (the last
 * fragment or cluster of a file whose disk filled up) is flagged corrupt by FFmpeg and not counted.
 * Every packet of the H.264, MPEG-4 and FFV1 encoders is one frame (no B-frames).
 */
final class FileFrames {
    private FileFrames() {
    }

    /** Complete video packets in {@code file}; 0 when FFmpeg cannot open it (e.g. an MP4 without its index). */
    static long count(Path file) {
        FfmpegLog.quiet(true); // the cut-off end is expected: FFmpeg's complaints about it go to debug
        try {
            return countPackets(file);
        } finally {
            FfmpegLog.quiet(false);
        }
    }

    private static long countPackets(Path file) {
        AVFormatContext ctx = new AVFormatContext(null);
        if (avformat_open_input(ctx, file.toString(), (AVInputFormat) null, (AVDictionary) null) < 0) {
            return 0;
        }
        AVPacket packet = av_packet_alloc();
        try {
            int video = av_find_best_stream(ctx, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
            long frames = 0;
            while (video >= 0 && av_read_frame(ctx, packet) >= 0) {
                if (packet.stream_index() == video && (packet.flags() & AV_PKT_FLAG_CORRUPT) == 0) {
                    frames++;
                }
                av_packet_unref(packet);
            }
            return frames;
        } finally {
            av_packet_free(packet);
            avformat_close_input(ctx);
        }
    }
}
