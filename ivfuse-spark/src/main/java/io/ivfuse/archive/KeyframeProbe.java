package io.ivfuse.archive;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_ATTACHED_PIC;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import io.ivfuse.job.Natives;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;

/**
 * Where a recording's video can be cut: the times of its keyframes and its frame count, from its
 * packets (read, never decoded: a few hundred MB a second). The times are the stream's own,
 * the clock of the frames ivfuse reads, so a segment starting at one begins there exactly.
 *
 * @param keyframesUs the keyframes' presentation times, ascending (microseconds)
 * @param frames      the video stream's packets, one per frame
 */
record KeyframeProbe(List<Long> keyframesUs, long frames) implements java.io.Serializable {

    /** The probe of {@code file}'s first video stream (as ivfuse reads it), or null when FFmpeg cannot read it. */
    static KeyframeProbe of(String file) {
        Natives.ffmpeg();
        AVFormatContext format = new AVFormatContext(null);
        if (avformat_open_input(format, file, null, (AVDictionary) null) < 0) {
            return null;
        }
        AVPacket packet = av_packet_alloc();
        try {
            if (avformat_find_stream_info(format, (AVDictionary) null) < 0) {
                return null;
            }
            int stream = -1;
            for (int i = 0; i < format.nb_streams() && stream < 0; i++) {
                if (format.streams(i).codecpar().codec_type() == AVMEDIA_TYPE_VIDEO
                        && (format.streams(i).disposition() & AV_DISPOSITION_ATTACHED_PIC) == 0) {
                    stream = i;
                }
            }
            if (stream < 0) {
                return null;
            }
            AVRational tb = format.streams(stream).time_base();
            List<Long> keys = new ArrayList<>();
            long frames = 0;
            while (av_read_frame(format, packet) >= 0) {
                if (packet.stream_index() == stream) {
                    frames++;
                    long pts = packet.pts() != AV_NOPTS_VALUE ? packet.pts() : packet.dts();
                    if ((packet.flags() & AV_PKT_FLAG_KEY) != 0 && pts != AV_NOPTS_VALUE) {
                        keys.add(1_000_000L * pts * tb.num() / tb.den());
                    }
                }
                av_packet_unref(packet);
            }
            keys.sort(null);
            return new KeyframeProbe(List.copyOf(keys), frames);
        } finally {
            av_packet_free(packet);
            avformat_close_input(format);
        }
    }

    /**
     * Segment boundaries about every {@code seconds}: the first keyframe at or after each multiple
     * of it past the first frame, so that a segment starts where decoding can. Empty when the
     * recording is shorter or has no keyframe to cut at.
     */
    List<Long> cuts(double seconds) {
        List<Long> cuts = new ArrayList<>();
        if (seconds <= 0 || keyframesUs.isEmpty()) {
            return cuts;
        }
        long step = Math.round(seconds * 1e6);
        long next = keyframesUs.get(0) + step;
        for (long key : keyframesUs) {
            if (key >= next) {
                cuts.add(key);
                next = key + step;
            }
        }
        return cuts;
    }
}
