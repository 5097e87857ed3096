package io.ivfuse.pipeline;

import io.ivfuse.frame.YuvPlanes;
import io.ivfuse.fusion.video.MefVideoOptions;

/**
 * Exposure video on the ring ({@code --mode mef}): the options, and which exposure of a slot is
 * the reference, the one moving regions are taken from: a bracketed stream's latest frame, else the
 * configured camera.
 *
 * @param bracketed the slots come from one alternating-exposure stream
 */
record MefVideo(MefVideoOptions options, boolean bracketed) {

    /** The slot's exposures, darkest first. */
    static YuvPlanes[] exposures(FrameEvent event) {
        return event.swapped ? event.exposuresSwapped : event.exposures;
    }

    /** The reference's index in {@link #exposures}: the latest frame is the first input, at 1 when swapped. */
    int reference(FrameEvent event) {
        if (bracketed) {
            return event.swapped ? 1 : 0;
        }
        return options.referenceIndex();
    }
}
