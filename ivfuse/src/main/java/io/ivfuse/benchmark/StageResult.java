package io.ivfuse.benchmark;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One stage timed alone: frames, wall seconds and process CPU seconds.
 *
 * @param cpuSeconds CPU time of all the process's threads over the stage
 */
public record StageResult(long frames, double wallSeconds, double cpuSeconds) {

    @JsonProperty
    public double fps() {
        return frames / wallSeconds;
    }

    @JsonProperty
    public double cpuMsPerFrame() {
        return cpuSeconds * 1000 / frames;
    }
}
