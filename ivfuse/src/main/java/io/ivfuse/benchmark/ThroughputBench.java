package io.ivfuse.benchmark;

import com.codahale.metrics.MetricRegistry;
import com.lmax.disruptor.EventHandler;
import io.ivfuse.IvfuseException;
import io.ivfuse.config.ConfigValidator;
import io.ivfuse.config.InputRoles;
import io.ivfuse.config.IvfuseConfig;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionEngines;
import io.ivfuse.fusion.FusionMode;
import io.ivfuse.fusion.video.MefVideoOptions;
import io.ivfuse.job.FusionJob;
import io.ivfuse.job.Natives;
import io.ivfuse.job.ThreadPlan;
import io.ivfuse.metrics.RunSummary;
import io.ivfuse.pipeline.FrameEvent;
import io.ivfuse.pipeline.FrameGeometry;
import io.ivfuse.pipeline.FrameSink;
import io.ivfuse.pipeline.RingMemory;
import io.ivfuse.pipeline.StageHandlers;
import io.ivfuse.registration.IrRegistrar;
import io.ivfuse.sink.OutputSet;
import io.ivfuse.source.InfraredDecoding;
import io.ivfuse.source.InputFrame;
import io.ivfuse.source.InputKinds;
import io.ivfuse.source.VisibleDecoding;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ivfuse bench}: the stages of a run timed one at a time with the run's own components and
 * settings (its decoders, registration, engine sessions and fusion threads, and encoder), then the
 * run itself through {@link FusionJob}, on one recorded pair.
 *
 * <p>Decoding reads each file from its start; the first frames fill a pool of pairs held in memory
 * (at most {@value #MAX_POOL} frames or {@value #MAX_POOL_MB} MB), which registration, fusion and
 * encoding then cycle through. Each stage first runs {@value #WARMUP_FRAMES} frames off the clock,
 * then at least the frames asked for and at least {@link #MIN_STAGE_NANOS}.
 * Encoding writes a real MP4 in a temporary folder, as does the whole run (first for
 * {@value #WARMUP_FRAMES} frames, then for the frames asked for); all are deleted after.
 * The bench replaces the config's outputs with that file and turns off its metrics reporters.
 *
 * <p>In {@code --mode mef} the two inputs are the under and the over exposure, both decoded as
 * colour (the visible input's decoding); registration also warps the over exposure's chroma
 * planes, and fusion runs the engine's exposure session, which blends the chroma as well, after
 * ghost suppression; weight smoothing is a stage of its own, as in the run. Every stage the run has
 * by default is timed, so the bound is one the run could reach. The stages keep the run summary's
 * names: {@code decode_vis} is the first input, {@code decode_ir} the second. A {@code --bracketed}
 * stream is not benchmarked (its bound is that of the pair).
 */
public final class ThroughputBench {
    static final int WARMUP_FRAMES = 10;
    static final int MAX_POOL = 64;
    static final int MAX_POOL_MB = 256;
    /**
     * Each stage runs at least this long (and at least the frames asked for): the JVM's process CPU
     * clock ({@code times()} on Linux) ticks every 10 ms, which this keeps under 2% of a stage.
     */
    static final long MIN_STAGE_NANOS = 500_000_000L;
    private static final Logger log = LoggerFactory.getLogger(ThroughputBench.class);

    private final IvfuseConfig config;
    private final int frames;

    /** @param config the run's config (flags applied); the bench changes its outputs and metrics */
    public ThroughputBench(IvfuseConfig config, int frames) {
        if (frames < 1) {
            throw new IvfuseException("--frames must be at least 1, got " + frames);
        }
        this.config = config;
        this.frames = frames;
    }

    public BenchReport run() {
        Natives.fusionRun();
        Path dir = temporaryFolder();
        try {
            return measure(dir);
        } finally {
            delete(dir);
        }
    }

    private BenchReport measure(Path dir) {
        benchOutputs(dir.resolve("run.mp4"));
        ConfigValidator.validate(config);
        FusionJob job = new FusionJob(config, new PrintWriter(Writer.nullWriter()));
        BenchReport report = new BenchReport();
        report.loadAverageStart = loadAverage();
        report.cores = Runtime.getRuntime().availableProcessors();
        report.frames = frames;
        ThreadPlan threads = job.threadPlan();
        report.threads = threads.describe();
        report.fusionThreads = threads.fusionThreads();
        report.intraOpThreads = threads.intraOpThreads();
        FrameEvent[] pool;
        FrameGeometry geometry;
        InputRoles roles = InputRoles.of(config);
        if (roles.bracketed()) {
            throw new IvfuseException("bench --mode mef times two exposure files (--under, --over), not --bracketed:"
                    + " a bracketed stream decodes one frame per output frame, so the pair's bound covers it");
        }
        boolean mef = roles.mode() == FusionMode.MEF;
        report.mode = roles.mode().label();
        report.firstRole = roles.firstRole();
        report.secondRole = roles.secondRole();
        // The engine first: a wrong name, model or parameter fails before anything is timed.
        try (FusionEngine engine = FusionEngines.create(config.fusion.engine, roles.mode(),
                job.engineOptions(threads.intraOpThreads()))) {
            report.engine = engine.name();
            try (LoopingInput ir = new LoopingInput(InputKinds.plan(roles.secondRole(), roles.second(), config.input.live,
                            threads.decoderThreads()),
                         mef ? new VisibleDecoding() : new InfraredDecoding(config.input.gray16));
                 LoopingInput vis = new LoopingInput(InputKinds.plan(roles.firstRole(), roles.first(), config.input.live,
                            threads.decoderThreads()),
                         new VisibleDecoding())) {
                geometry = new FrameGeometry(vis.width(), vis.height(), ir.width(), ir.height(), mef);
                report.width = geometry.width();
                report.height = geometry.height();
                report.irWidth = geometry.irWidth();
                report.irHeight = geometry.irHeight();
                report.inputFps = vis.frameRate();
                pool = fillPool(ir, vis, geometry, poolSize(geometry, report.fusionThreads, frames));
                report.poolFrames = pool.length;
                report.stages.put("decode_ir", decode(ir));
                report.stages.put("decode_vis", decode(vis));
                log.debug("decoding restarted the IR file {} times, the visible one {} times", ir.restarts(), vis.restarts());
            }
            report.stages.put("register", register(job, geometry, pool));
            MefVideoOptions video = job.mefVideo();
            FusionStage.Result fusion = new FusionStage(engine, geometry, video, pool, report.fusionThreads)
                    .run(frames, WARMUP_FRAMES, MIN_STAGE_NANOS);
            report.stages.put("fusion", fusion.stage());
            report.fusionP50Ms = fusion.p50Ms();
            EventHandler<FrameEvent> smoothing = StageHandlers.smoothing(geometry, video);
            if (smoothing != null) {
                report.stages.put("smoothing", smoothing(smoothing, pool));
            }
        } // closed before encoding: its threads are gone while the encoder is timed
        report.stages.put("encode", encode(dir.resolve("encode.mp4"), geometry, report.inputFps, pool, threads.encoderThreads(),
                report));
        // A short run first (the whole run's warm-up); what the long one costs beyond it is per frame.
        WholeRun warmup = wholeRun(dir.resolve("warmup.mp4"), WARMUP_FRAMES);
        WholeRun whole = wholeRun(dir.resolve("run.mp4"), frames);
        RunSummary run = whole.summary();
        report.endToEndFps = run.fps;
        report.endToEndFrames = run.framesOut;
        report.endToEndStagesMs = run.stagesMs;
        Map<String, Double> fuse = run.stagesMs.get("fuse");
        report.endToEndFusionP50Ms = fuse == null ? 0 : fuse.get("p50");
        report.endToEndRun = whole.clock();
        report.endToEndWarmupRun = warmup.clock();
        report.loadAverageEnd = loadAverage();
        report.complete();
        return report;
    }

    private record WholeRun(RunSummary summary, StageResult clock) {
    }

    /** The run as {@code ivfuse run} does it, into {@code file}, for at most {@code maxFrames} frames; its file is deleted after. */
    private WholeRun wholeRun(Path file, long maxFrames) {
        config.output.path = file.toString();
        config.pipeline.maxFrames = maxFrames;
        StageClock clock = new StageClock();
        clock.start();
        RunSummary summary = new FusionJob(config, new PrintWriter(Writer.nullWriter())).run();
        clock.stop();
        delete(file);
        return new WholeRun(summary, clock.result(summary.framesOut));
    }

    /** One file output with the config's encoder settings ({@code output.*}); no reporters, no progress bar. */
    private void benchOutputs(Path file) {
        config.output.path = file.toString();
        config.outputs = new ArrayList<>();
        config.output.sideBySide = null;
        config.output.display = false;
        IvfuseConfig.Metrics m = config.metrics;
        m.json = null;
        m.progress = "off";
        m.consolePeriodS = 0;
        m.csvDir = null;
        m.jmx = false;
        m.temporalStability = false;
    }

    /**
     * Frames to hold: as many as are timed, at least the warm-up, within {@value #MAX_POOL} frames,
     * {@value #MAX_POOL_MB} MB and half the ring's memory budget (the whole run's ring must still
     * fit); a multiple of the fusion threads (each slot then belongs to one of them).
     */
    static int poolSize(FrameGeometry g, int threads, int frames) {
        long bytes = Math.min((long) MAX_POOL_MB * 1024 * 1024, RingMemory.now().budgetBytes() / 2);
        long byMemory = bytes / FrameEvent.directBytes(g);
        long wanted = Math.min(Math.max(frames, WARMUP_FRAMES), MAX_POOL);
        int size = (int) Math.max(1, Math.min(wanted, byMemory));
        return (size + threads - 1) / threads * threads;
    }

    /** Decodes a pair per slot (the decoders' warm-up), filled as the ring's producer fills a slot. */
    private FrameEvent[] fillPool(LoopingInput ir, LoopingInput vis, FrameGeometry g, int size) {
        StageClock untimed = new StageClock();
        FrameEvent[] pool = new FrameEvent[size];
        for (int i = 0; i < size; i++) {
            FrameEvent e = new FrameEvent(g);
            InputFrame second = ir.next(untimed);
            e.infrared.copyFrom(second.plane());
            InputFrame v = vis.next(untimed);
            e.visibleY.copyFrom(v.plane());
            e.output.put(g.chromaOffset(), v.chroma(), 0, v.chroma().capacity());
            if (g.secondChroma()) { // as the pairing thread fills a slot in mode mef
                e.visibleChroma.put(0, v.chroma(), 0, v.chroma().capacity());
                e.infraredChroma.put(0, second.chroma(), 0, second.chroma().capacity());
            }
            pool[i] = e;
        }
        for (int i = size; i < WARMUP_FRAMES; i++) {
            ir.next(untimed);
            vis.next(untimed);
        }
        return pool;
    }

    private StageResult decode(LoopingInput input) {
        StageClock clock = new StageClock();
        clock.start();
        long n = 0;
        for (; going(n, clock); n++) {
            input.next(clock);
        }
        clock.stop();
        return clock.result(n);
    }

    /**
     * IR (or the over exposure, with its chroma planes) onto the visible (under) geometry, on one
     * thread as the ring's registration stage; every slot is registered in the warm-up.
     */
    private StageResult register(FusionJob job, FrameGeometry g, FrameEvent[] pool) {
        StageClock clock = new StageClock();
        long n = 0;
        try (IrRegistrar registrar = job.registrar(g);
             IrRegistrar chroma = g.secondChroma() ? job.chromaRegistrar(g) : null) {
            for (int i = 0; i < Math.max(WARMUP_FRAMES, pool.length); i++) {
                register(registrar, chroma, pool[i % pool.length]);
            }
            clock.start();
            for (; going(n, clock); n++) {
                register(registrar, chroma, pool[(int) (n % pool.length)]);
            }
            clock.stop();
        }
        return clock.result(n);
    }

    /** What RegisterHandler does with a slot. */
    private static void register(IrRegistrar registrar, IrRegistrar chroma, FrameEvent e) {
        registrar.warp(e.infrared, e.registered);
        if (chroma != null) {
            chroma.warp(e.infraredCb, e.registeredCb);
            chroma.warp(e.infraredCr, e.registeredCr);
        }
    }

    /**
     * Weight smoothing ({@code --mode mef}), on one thread after fusion as in the run, over the
     * fused pool in order (its filter keeps the previous frames' weights); the pool is smoothed
     * once in the warm-up.
     */
    private StageResult smoothing(EventHandler<FrameEvent> handler, FrameEvent[] pool) {
        StageClock clock = new StageClock();
        long n = 0;
        try {
            handler.onStart();
            for (int i = 0; i < Math.max(WARMUP_FRAMES, pool.length); i++) {
                handler.onEvent(pool[i % pool.length], i, true);
            }
            clock.start();
            for (; going(n, clock); n++) {
                handler.onEvent(pool[(int) (n % pool.length)], n, true);
            }
            clock.stop();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("weight smoothing failed: " + e, e);
        } finally {
            handler.onShutdown();
        }
        return clock.result(n);
    }

    /** True until a stage has done the frames asked for and been on the clock for {@link #MIN_STAGE_NANOS}. */
    private boolean going(long done, StageClock clock) {
        return done < frames || clock.wallNanos() < MIN_STAGE_NANOS;
    }

    /**
     * The fused pictures into the run's file output ({@link OutputSet}, the encoder as configured),
     * timed up to the closed file: the encoder's buffered frames are drained on the clock.
     */
    private StageResult encode(Path file, FrameGeometry g, double fps, FrameEvent[] pool, int encoderThreads,
                               BenchReport report) {
        config.output.path = file.toString();
        OutputSet outputs = new OutputSet(config, new MetricRegistry(), encoderThreads);
        StageClock clock = new StageClock();
        long i = 0;
        try {
            outputs.open(g, fps);
            FrameSink sink = outputs.sinks().get(0);
            double rate = fps > 0 ? fps : 30;
            for (; i < WARMUP_FRAMES; i++) {
                write(sink, pool, i, g, rate);
            }
            clock.start();
            for (; going(i - WARMUP_FRAMES, clock); i++) {
                write(sink, pool, i, g, rate);
            }
            outputs.sinks().forEach(FrameSink::close);
            clock.stop();
        } catch (RuntimeException | Error e) {
            outputs.abandon(true);
            throw e;
        }
        RunSummary scratch = new RunSummary();
        outputs.report(scratch);
        report.encoder = scratch.encoder;
        delete(file);
        return clock.result(i - WARMUP_FRAMES);
    }

    /** Frame {@code i} of the encode stage: the pool's picture, stamped as the ring's output stage stamps it. */
    private static void write(FrameSink sink, FrameEvent[] pool, long i, FrameGeometry g, double rate) {
        FrameEvent e = pool[(int) (i % pool.length)];
        e.index = i;
        e.visibleUs = Math.round(i * 1e6 / rate);
        sink.write(e, g);
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static Path temporaryFolder() {
        try {
            return Files.createTempDirectory("ivfuse-bench-");
        } catch (IOException e) {
            throw new IvfuseException("bench: cannot create a temporary folder (" + e.getMessage() + ")", e);
        }
    }

    private static void delete(Path path) {
        try (Stream<Path> all = Files.walk(path)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            log.warn("could not remove the bench's temporary file {}: {}", path, e.getMessage());
        }
    }
}
