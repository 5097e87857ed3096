package io.ivfuse.archive;

import java.io.Serializable;

/**
 * One recorded pair to fuse: its id (the name of its output and its line in the report), the IR
 * and visible files, an optional calibration file, and the fused file to write.
 */
public record RecordingPair(String id, String ir, String vis, String calibration, String output) implements Serializable {
}
