package io.ivfuse.sink;

/**
 * @param codec       "auto" or an FFmpeg encoder name (libx264, libopenh264, h264_nvenc, mpeg4, ffv1...)
 * @param bitrateKbps target bitrate (0 = the encoder's default quality)
 * @param preset      encoder speed preset for libx264/NVENC (null = default)
 * @param fragmented  fragmented MP4: playable even when the process is killed without warning
 */
public record EncoderSettings(String codec, int bitrateKbps, String preset, boolean fragmented) {

    public static EncoderSettings defaults() {
        return new EncoderSettings("auto", 4000, null, false);
    }
}
