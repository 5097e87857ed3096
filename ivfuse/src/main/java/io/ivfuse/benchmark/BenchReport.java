package io.ivfuse.benchmark;

import io.ivfuse.util.JsonFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code ivfuse bench} measured: each stage alone, the whole run, the CPU bound and the
 * efficiency, and how many camera pairs that makes; printed as a table and written as JSON
 * (snake_case keys).
 */
public final class BenchReport {

    /** {@code ir-vis} or {@code mef}: in mode mef the first input is the under exposure, the second the over one. */
    public String mode = "ir-vis";
    /** How the inputs are named (visible/IR, under/over); decode_vis is the first, decode_ir the second, as in the run summary. */
    public String firstRole = "visible";
    public String secondRole = "IR";
    public double decodeIrFps;
    public double decodeVisFps;
    public double registerFps;
    public double fusionFps;
    public double encodeFps;
    public double endToEndFps;
    /** cores / (sum of {@link #cpuBoundStages}' CPU seconds per frame): the rate if the stages shared the cores perfectly. */
    public double cpuBoundFps;
    /** endToEndFps / cpuBoundFps. */
    public double efficiency;
    /**
     * The stages whose CPU time per frame adds up to the bound: every stage timed (decode_ir,
     * decode_vis, register, fusion, then smoothing where the run smooths exposure video, encode);
     * pairing and the ring's hand-over are not among them.
     */
    public List<String> cpuBoundStages = List.of();
    public double cpuMsPerFrame;
    /** Runtime.availableProcessors(): follows taskset and cgroup limits. */
    public int cores;
    /**
     * Frames asked for: each stage alone runs at least as many (files shorter than that are started
     * again; {@link #stages} has each one's count), the whole run at most as many.
     */
    public long frames;
    public long endToEndFrames;
    public String engine;
    public String encoder;
    /** The thread plan every stage ran with (job.ThreadPlan#describe), as {@code ivfuse run} uses it. */
    public Map<String, Object> threads = new LinkedHashMap<>();
    public int fusionThreads;
    /** 0: the engine's default. */
    public int intraOpThreads;
    public int width;
    public int height;
    public int irWidth;
    public int irHeight;
    /** The visible input's frame rate (0: the file does not say). */
    public double inputFps;
    /** Camera pairs at {@link #inputFps} that the bound allows, and that the measured whole run keeps up with (null without a rate). */
    public Long cameraPairsAtBound;
    public Long cameraPairsMeasured;
    /** Median of one fusion on one thread, fusion alone; and the fuse stage's median inside the whole run. */
    public double fusionP50Ms;
    public double endToEndFusionP50Ms;
    /** The frames held in memory and cycled through by registration, fusion and encoding. */
    public int poolFrames;
    /** The system's 1-minute load average before and after (negative where the OS does not say). */
    public double loadAverageStart;
    public double loadAverageEnd;
    /**
     * The whole run from opening its inputs to its closed output (so a little slower than
     * {@link #endToEndFps}, the pipeline's own rate), and the short run before it.
     */
    public StageResult endToEndRun;
    public StageResult endToEndWarmupRun;
    /**
     * CPU per frame of the whole run beyond the short one (null when the files hold no more frames
     * than the short run): opening and closing cancel out, and as the short run also loads the
     * pipeline's classes this errs low. Against {@link #cpuMsPerFrame} it says what running the
     * stages together adds.
     */
    public Double endToEndCpuMsPerFrame;
    /** The same difference's CPU over cores x wall: how busy the run kept the cores. */
    public Double endToEndCoresBusy;
    /** Each stage alone: frames, wall and CPU seconds, fps, CPU ms per frame. */
    public Map<String, StageResult> stages = new LinkedHashMap<>();
    /** The whole run's own stage timers (p50/p99/mean ms), as in {@code run --metrics-json}. */
    public Map<String, Map<String, Double>> endToEndStagesMs = new LinkedHashMap<>();

    /** Fills the headline figures, the bound and the camera counts from {@link #stages} and the whole run's rate. */
    void complete() {
        decodeIrFps = stages.get("decode_ir").fps();
        decodeVisFps = stages.get("decode_vis").fps();
        registerFps = stages.get("register").fps();
        fusionFps = stages.get("fusion").fps();
        encodeFps = stages.get("encode").fps();
        cpuBoundStages = List.copyOf(stages.keySet());
        cpuMsPerFrame = cpuBoundStages.stream().mapToDouble(s -> stages.get(s).cpuMsPerFrame()).sum();
        cpuBoundFps = cores * 1000.0 / cpuMsPerFrame;
        efficiency = endToEndFps / cpuBoundFps;
        long moreFrames = endToEndRun.frames() - endToEndWarmupRun.frames();
        if (moreFrames > 0) {
            double cpu = endToEndRun.cpuSeconds() - endToEndWarmupRun.cpuSeconds();
            endToEndCpuMsPerFrame = cpu * 1000 / moreFrames;
            endToEndCoresBusy = cpu / (cores * (endToEndRun.wallSeconds() - endToEndWarmupRun.wallSeconds()));
        }
        if (inputFps > 0) {
            cameraPairsAtBound = (long) Math.floor(cpuBoundFps / inputFps);
            cameraPairsMeasured = (long) Math.floor(endToEndFps / inputFps);
        }
    }

    public void print(PrintWriter out) {
        out.printf("ivfuse bench: mode %s, %d frames of %dx%d (%s %dx%d) at %.2f fps; engine %s, %d fusion thread%s, encoder %s;"
                        + " %d cores%n", mode, frames, width, height, secondRole, irWidth, irHeight, inputFps, engine, fusionThreads,
                fusionThreads == 1 ? "" : "s", encoder, cores);
        out.printf("%-16s %8s %10s %14s%n", "stage (alone)", "frames", "frames/s", "CPU ms/frame");
        stages.forEach((name, stage) -> row(out, switch (name) {
            case "decode_ir" -> "decode " + secondRole;
            case "decode_vis" -> "decode " + firstRole;
            default -> name;
        }, stage));
        String busy = endToEndCoresBusy == null ? "" : String.format("%.0f%% of the cores busy; ", 100 * endToEndCoresBusy);
        out.printf("%-16s %8d %10.1f %14s   (the whole run: %sfusion p50 %.2f ms in it, %.2f ms alone)%n",
                "end to end", endToEndFrames, endToEndFps,
                endToEndCpuMsPerFrame == null ? "-" : String.format("%.3f", endToEndCpuMsPerFrame), busy,
                endToEndFusionP50Ms, fusionP50Ms);
        out.printf("%-16s %8s %10.1f %14.3f   (%d cores / the stages' CPU per frame; pairing not included)%n", "CPU bound", "",
                cpuBoundFps, cpuMsPerFrame, cores);
        out.printf("%-16s %8s %10.2f%n", "efficiency", "", efficiency);
        if (inputFps > 0) {
            out.printf("cameras: this machine takes %d %s pair%s at %.2f fps by the CPU bound,"
                            + " %d at the measured end-to-end rate%n",
                    cameraPairsAtBound, "mef".equals(mode) ? "exposure" : "IR+visible", cameraPairsAtBound == 1 ? "" : "s",
                    inputFps, cameraPairsMeasured);
        } else {
            out.println("cameras: the " + firstRole + " input has no frame rate; divide the rates above by your cameras' rate");
        }
        if (loadAverageStart >= 0) {
            out.printf("load: %.2f at start, %.2f at end (1-minute average); other work lowers the frames/s, far less the CPU figures%n",
                    loadAverageStart, loadAverageEnd);
        }
        out.flush();
    }

    private static void row(PrintWriter out, String name, StageResult r) {
        out.printf("%-16s %8d %10.1f %14.3f%n", name, r.frames(), r.fps(), r.cpuMsPerFrame());
    }

    public void writeJson(Path file) {
        JsonFiles.write(file, this, "bench JSON");
    }
}
