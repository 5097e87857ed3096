package io.ivfuse.source;

import io.ivfuse.frame.Plane;

/** A gray frame with its presentation time; a reusable holder (the pairer keeps a few). */
public final class TimedPlane {
    private final Plane plane;
    private long timestampUs;

    public TimedPlane(Plane plane) {
        this.plane = plane;
    }

    public Plane plane() {
        return plane;
    }

    public long timestampUs() {
        return timestampUs;
    }

    public void setTimestampUs(long timestampUs) {
        this.timestampUs = timestampUs;
    }
}
