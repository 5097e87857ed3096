package io.ivfuse.job;

import com.codahale.metrics.ConsoleReporter;
import com.codahale.metrics.CsvReporter;
import com.codahale.metrics.ScheduledReporter;
import com.codahale.metrics.jmx.JmxReporter;
import io.ivfuse.IvfuseException;
import io.ivfuse.config.ConfigValidator;
import io.ivfuse.config.InputRoles;
import io.ivfuse.config.IvfuseConfig;
import io.ivfuse.fusion.FusionMode;
import io.ivfuse.pipeline.FrameWarp;
import io.ivfuse.source.Decoding;
import io.ivfuse.fusion.video.MefVideoOptions;
import io.ivfuse.sync.BracketPairer;
import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionEngineProvider;
import io.ivfuse.fusion.FusionEngines;
import io.ivfuse.metrics.InputMetrics;
import io.ivfuse.metrics.PipelineMetrics;
import io.ivfuse.metrics.ProgressBar;
import io.ivfuse.metrics.RunSummary;
import io.ivfuse.pipeline.FrameGeometry;
import io.ivfuse.pipeline.FrameKind;
import io.ivfuse.pipeline.FrameListener;
import io.ivfuse.pipeline.FusionPipeline;
import io.ivfuse.pipeline.PipelineSettings;
import io.ivfuse.pipeline.RingMemory;
import io.ivfuse.quality.metric.TemporalStability;
import io.ivfuse.registration.AlignmentScore;
import io.ivfuse.registration.AlignmentWatch;
import io.ivfuse.registration.Calibration;
import io.ivfuse.registration.FrameSize;
import io.ivfuse.registration.IrRegistrar;
import io.ivfuse.config.IvfuseConfig.Backpressure;
import io.ivfuse.frame.Plane;
import com.codahale.metrics.Gauge;
import io.ivfuse.sink.OutputSet;
import io.ivfuse.sink.OutputWriteException;
import io.ivfuse.source.InfraredDecoding;
import io.ivfuse.source.InputKinds;
import io.ivfuse.source.InputLostException;
import io.ivfuse.source.InputPlan;
import io.ivfuse.source.InputReader;
import io.ivfuse.source.VisibleDecoding;
import io.ivfuse.sync.ExposureWatch;
import io.ivfuse.sync.FramePairer;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fusion run as configured: opens the sources, builds pairing, registration, the engine and the
 * sinks, runs the {@link FusionPipeline}, reports metrics, and closes everything in order (sources,
 * ring, sinks, sessions, engine, reporters).
 */
public final class FusionJob {
    private static final Logger log = LoggerFactory.getLogger(FusionJob.class);

    private final IvfuseConfig config;
    private final PrintWriter console;
    private final PrintWriter err;
    private volatile FusionPipeline pipeline;
    private volatile PipelineMetrics metrics;
    private volatile boolean stopRequested;
    private volatile boolean started;
    private final CountDownLatch done = new CountDownLatch(1);
    private EngineSource engines;
    private FrameListener frameListener;
    private PipelineMetrics presetMetrics;

    /** A job whose summary, progress bar and console metrics all go to {@code console}. */
    public FusionJob(IvfuseConfig config, PrintWriter console) {
        this(config, console, console);
    }

    /** A job that prints its summary to {@code console} and its progress bar and console metrics to {@code err}. */
    public FusionJob(IvfuseConfig config, PrintWriter console, PrintWriter err) {
        this.config = config;
        this.console = console;
        this.err = err;
        this.engines = (provider, options) -> FusionEngines.create(provider, InputRoles.of(config).mode(), options);
    }

    /**
     * Where the run's engine comes from: by default a new one, closed at the end of the run; a
     * service hands out one shared engine per model instead (the lease's close releases it).
     */
    @FunctionalInterface
    public interface EngineSource {
        FusionEngine open(FusionEngineProvider provider, EngineOptions options);
    }

    /** Takes the engine from {@code engines} instead of creating one (before {@link #run()}). */
    public FusionJob engines(EngineSource engines) {
        this.engines = engines;
        return this;
    }

    /** Also shows every output frame to {@code listener}, on the output thread (before {@link #run()}). */
    public FusionJob frameListener(FrameListener listener) {
        this.frameListener = listener;
        return this;
    }

    /**
     * Records into {@code metrics} instead of a registry of the job's own (before {@link #run()}):
     * a service publishes them before the run begins. One run per instance.
     */
    public FusionJob withMetrics(PipelineMetrics metrics) {
        this.presetMetrics = metrics;
        return this;
    }

    /** Stops decoding and finishes the frames in flight (from any thread, e.g. a shutdown hook). */
    public void requestStop() {
        stopRequested = true;
        FusionPipeline p = pipeline;
        if (p != null) {
            p.requestStop();
        }
    }

    /** Waits for a started job to finish (outputs closed, summary written), at most {@code millis}. */
    public boolean awaitFinished(long millis) throws InterruptedException {
        return !started || done.await(millis, TimeUnit.MILLISECONDS);
    }

    /** The running job's metrics (null before {@link #run()} has begun): for services and tests that watch a run. */
    public PipelineMetrics metrics() {
        return metrics;
    }

    public RunSummary run() {
        started = true;
        try {
            return runToEnd();
        } finally {
            done.countDown();
        }
    }

    private RunSummary runToEnd() {
        Natives.fusionRun();
        ConfigValidator.validate(config);
        FusionEngineProvider engineProvider = engineProvider();
        ThreadPlan threads = ThreadPlan.of(config, engineProvider.heavy());
        log.info("threads: {}", threads.line());
        InputRoles roles = InputRoles.of(config);
        boolean mef = roles.mode() == FusionMode.MEF;
        InputPlan visPlan = InputKinds.plan(roles.firstRole(), roles.first(), config.input.live, threads.decoderThreads());
        InputPlan irPlan = roles.bracketed() ? null
                : InputKinds.plan(roles.secondRole(), roles.second(), config.input.live, threads.decoderThreads());
        if (config.input.startSeconds != null) {
            // Both inputs from a pre-roll before the start, on the visible clock (pairing compares
            // IR times shifted by the offset with visible times, so the IR seek undoes the offset).
            long from = seconds(config.input.startSeconds - config.input.prerollSeconds);
            visPlan = visPlan.seekingTo(from);
            irPlan = irPlan == null ? null : irPlan.seekingTo(from - Math.round(config.input.irOffsetMs * 1000));
        }
        boolean live = visPlan.live() || (irPlan != null && irPlan.live());
        if (live && (config.input.startSeconds != null || config.input.endSeconds != null)) {
            throw new IvfuseException("input.start_seconds and input.end_seconds apply to recorded files only, not to "
                    + (visPlan.live() ? visPlan : irPlan).label());
        }
        PipelineMetrics metrics = presetMetrics != null ? presetMetrics : new PipelineMetrics();
        this.metrics = metrics;
        TemporalStability stability = config.metrics.temporalStability ? new TemporalStability() : null;
        // --mode mef: the over exposure decodes as colour, like the visible input
        Decoding secondDecoding = mef ? new VisibleDecoding() : new InfraredDecoding(config.input.gray16);
        try (InputReader visible = new InputReader(visPlan, new VisibleDecoding(), config.input.live, metrics.vis, visPlan.live());
             InputReader infrared = irPlan == null ? null
                     : new InputReader(irPlan, secondDecoding, config.input.live, metrics.ir, irPlan.live())) {
            if (infrared != null) {
                InputReader.startAll(visible, infrared);
            } else {
                InputReader.startAll(visible);
            }
            InputReader second = infrared != null ? infrared : visible;
            FrameGeometry geometry = new FrameGeometry(visible.width(), visible.height(), second.width(), second.height(), mef);
            ExposureWatch exposureWatch = null;
            if (mef) {
                warnAboutExposures(visible, infrared, geometry);
                exposureWatch = infrared == null
                        ? new ExposureWatch("the under frames of " + visPlan.label(), "the over frames of " + visPlan.label(), log::warn)
                        : new ExposureWatch(visPlan.label(), irPlan.label(), log::warn);
            }
            RingMemory.now().check(config.pipeline.ringSize, geometry); // before any slot or output exists
            FramePairer pairer = infrared == null ? null : new FramePairer(infrared.queue(), toleranceUs(visible, infrared),
                    maxStaleUs(visible, infrared, live), Math.round(config.input.irOffsetMs * 1000), config.sync.end, live);
            OutputSet outputs = new OutputSet(config, metrics.registry, threads.encoderThreads());
            try (IrRegistrar registrar = registrar(geometry);
                 AlignmentWatch watch = alignmentWatch(geometry, metrics, visPlan.label() + " and "
                         + (irPlan == null ? "its other exposure" : irPlan.label()));
                 IrRegistrar chromaRegistrar = mef ? chromaRegistrar(geometry) : null;
                 FusionEngine engine = engines.open(engineProvider, engineOptions(threads.intraOpThreads()));
                 Reporters reporters = new Reporters(metrics)) {
                double fps = visible.frameRate();
                outputs.open(geometry, fps);
                FrameWarp chromaWarp = chromaRegistrar == null ? null : chromaRegistrar::warp;
                PipelineSettings settings = pipelineSettings(live, threads.fusionThreads());
                FusionPipeline p = infrared == null
                        ? FusionPipeline.bracketed(visible.queue(), new BracketPairer(visPlan.label(), geometry.width(),
                                geometry.height()), registrar::warp, chromaWarp, engine, outputs.sinks(), geometry, settings,
                                metrics, listener(stability, exposureWatch, watch))
                        : new FusionPipeline(visible.queue(), infrared.queue(), pairer, registrar::warp, chromaWarp,
                                engine, outputs.sinks(), geometry, settings, metrics, listener(stability, exposureWatch, watch));
                pipeline = p;
                if (stopRequested) {
                    p.requestStop();
                }
                log.info("fusing {} ({}x{}, {} fps) with {} ({}x{}, {} fps) using engine '{}' -> {}",
                        visPlan.label(), geometry.width(), geometry.height(), fps,
                        irPlan == null ? "its other exposure" : irPlan.label(), geometry.irWidth(), geometry.irHeight(),
                        second.frameRate(), engine.name(), outputs);
                RunSummary summary;
                long startNanos = System.nanoTime();
                try (ProgressBar ignored = progress(metrics, visible)) {
                    summary = p.run();
                } catch (OutputWriteException e) {
                    summarizeWriteFailure(outputs, metrics, pairer, engine.name(), startNanos, e);
                    throw e;
                }
                if (stability != null && stability.frames() > 1) {
                    summary.quality.put("temporal_stability", stability.value());
                    summary.quality.put("temporal_stability_worst", stability.worst());
                }
                if (watch != null) {
                    summary.registration = watch.summary();
                }
                summary.engine = engine.name();
                summary.threadPlan(threads.describe(), threads.line(), threads.fusionThreads());
                outputs.report(summary);
                String damage = damage(visPlan, metrics.vis, irPlan, metrics.ir);
                if (damage != null && !config.input.strict) {
                    log.warn("{}", damage);
                }
                finish(summary);
                if (summary.inputLost != null) {
                    throw new InputLostException(summary.inputLost);
                }
                if (damage != null && config.input.strict) {
                    // The outputs are finished and the summary written: only the exit code changes.
                    throw new IvfuseException(damage + " (--strict)");
                }
                return summary;
            } catch (RuntimeException | Error e) { // OutOfMemoryError too: finish what was written
                outputs.abandon(metrics.framesOut.getCount() == 0);
                throw e;
            }
        }
    }

    /**
     * What sees each output frame: the temporal-stability meter, the exposure watch (mode mef), the
     * drift watch and the job's own listener, those there are; null when none.
     */
    private FrameListener listener(TemporalStability stability, ExposureWatch exposures, AlignmentWatch watch) {
        List<FrameListener> all = new ArrayList<>();
        if (stability != null) {
            all.add(e -> stability.accept(e.registered, e.visibleY, e.fusedY));
        }
        if (exposures != null) {
            all.add(e -> {
                if (e.kind == FrameKind.FUSED) {
                    exposures.check(e.swapped ? e.registered : e.visibleY, e.swapped ? e.visibleY : e.registered, e.index);
                }
            });
        }
        if (watch != null) {
            all.add(e -> {
                if (e.kind == FrameKind.FUSED) {
                    watch.accept(e.index, e.visibleY, e.registered);
                }
            });
        }
        if (frameListener != null) {
            all.add(frameListener);
        }
        if (all.size() <= 1) {
            return all.isEmpty() ? null : all.get(0);
        }
        FrameListener[] each = all.toArray(FrameListener[]::new);
        return e -> {
            for (FrameListener l : each) {
                l.onOutput(e);
            }
        };
    }

    /**
     * Mode mef, once at the start: exposures of different sizes (the over one is resized or
     * registered onto the under one), and a gray exposure beside a colour one (FFmpeg gives the
     * gray one neutral chroma, so the colour comes from the other).
     */
    private void warnAboutExposures(InputReader under, InputReader over, FrameGeometry g) {
        if (over == null) {
            return; // one bracketed stream: one size, one pixel format
        }
        if (g.width() != g.irWidth() || g.height() != g.irHeight()) {
            log.warn("exposures of different sizes: {} is {}x{}, {} is {}x{}; the over exposure is {} onto the under one",
                    under.plan().label(), g.width(), g.height(), over.plan().label(), g.irWidth(), g.irHeight(),
                    config.registration.calibration == null ? "resized" : "registered");
        }
        if (under.gray() != over.gray()) {
            InputReader gray = under.gray() ? under : over;
            InputReader colour = under.gray() ? over : under;
            log.warn("{} is gray and {} colour: the gray exposure is taken as colourless (neutral chroma),"
                    + " so the fused colour comes from {}", gray.plan().label(), colour.plan().label(), colour.plan().label());
        }
    }

    /**
     * The drift watch the config asks for (registration.check), its gauge registered; null when
     * off. It scores only where the registered IR frame has pixels: an all-white IR frame through
     * the run's registration gives that footprint.
     */
    private AlignmentWatch alignmentWatch(FrameGeometry g, PipelineMetrics metrics, String pair) {
        IvfuseConfig.Check check = config.registration.check;
        if (!check.enabled) {
            return null;
        }
        Plane white = Plane.allocate(g.irWidth(), g.irHeight());
        white.fill((byte) 255);
        Plane footprint = Plane.allocate(g.width(), g.height());
        try (IrRegistrar r = registrar(g)) {
            r.warp(white, footprint);
        }
        AlignmentScore scorer = new AlignmentScore(footprint);
        if (!scorer.usable()) {
            scorer.close();
            log.warn("registration.check: the registered IR frame covers too little of the visible frame to score; no drift watch");
            return null;
        }
        AlignmentWatch watch = new AlignmentWatch(scorer, new AlignmentWatch.Limits(check.every, check.maxDrop,
                check.minScore, check.sustain), pair);
        metrics.registry.register(AlignmentWatch.METRIC, (Gauge<Double>) watch::last);
        return watch;
    }

    /** One line naming each damaged input and its damage; null when both are intact. */
    private static String damage(InputPlan visPlan, InputMetrics vis, InputPlan irPlan, InputMetrics ir) {
        List<String> damaged = new ArrayList<>();
        if (vis.damage() != null) {
            damaged.add(visPlan.label() + " is damaged: " + vis.damage());
        }
        if (irPlan != null && ir.damage() != null) {
            damaged.add(irPlan.label() + " is damaged: " + ir.damage());
        }
        return damaged.isEmpty() ? null : String.join("; ", damaged);
    }

    /** Live inputs default to drop-oldest (never fall behind the camera), files to block (lose nothing). */
    private PipelineSettings pipelineSettings(boolean live, int fusionThreads) {
        Backpressure backpressure = config.pipeline.backpressure != null ? config.pipeline.backpressure
                : live ? Backpressure.DROP_OLDEST : Backpressure.BLOCK;
        return new PipelineSettings(config.pipeline.ringSize, fusionThreads, backpressure,
                config.pipeline.maxFrames, live, config.fusion.maxFps, config.fusion.skipped, config.sync.visibleDown,
                config.input.startSeconds == null ? Long.MIN_VALUE : seconds(config.input.startSeconds),
                config.input.endSeconds == null ? Long.MAX_VALUE : seconds(config.input.endSeconds), mefVideo());
    }

    /** {@code fusion.mef}, for exposure video (ignored by infrared + visible slots). */
    public MefVideoOptions mefVideo() {
        IvfuseConfig.Mef m = config.fusion.mef;
        return new MefVideoOptions(m.deghost, m.deghostThreshold, m.weightSmoothing,
                "over".equals(m.deghostReference) ? MefVideoOptions.Reference.OVER : MefVideoOptions.Reference.UNDER);
    }

    private static long seconds(double s) {
        return Math.round(s * 1e6);
    }

    /**
     * After a write error (a full disk, say) the summary still says what the run did, with each
     * failed file's frames counted in the file (the outputs are closed by then), then the error
     * ends the run.
     */
    private void summarizeWriteFailure(OutputSet outputs, PipelineMetrics metrics, FramePairer pairer, String engine,
                                       long startNanos, OutputWriteException failure) {
        RunSummary summary = RunSummary.from(metrics, (System.nanoTime() - startNanos) / 1e9);
        summary.paired = pairer == null ? 0 : pairer.pairedCount();
        summary.engine = engine;
        summary.error = failure.getMessage();
        outputs.report(summary);
        try {
            finish(summary);
        } catch (IvfuseException e) {
            log.warn("{}", e.getMessage()); // e.g. the metrics JSON on the same full disk
        }
    }

    private void finish(RunSummary summary) {
        summary.print(console);
        if (config.metrics.json != null) {
            summary.writeJson(Path.of(config.metrics.json));
        }
    }

    private long toleranceUs(InputReader visible, InputReader infrared) {
        return config.sync.toleranceMs != null ? Math.round(config.sync.toleranceMs * 1000)
                : FramePairer.defaultToleranceUs(visible.frameRate(), infrared.frameRate());
    }

    /**
     * Files: 1.5 frame intervals of the slower stream. Live: twice that, so the jitter of a loaded
     * machine (an IR frame a frame late) holds the last IR frame instead of passing a visible
     * frame through unfused.
     */
    private long maxStaleUs(InputReader visible, InputReader infrared, boolean live) {
        if (config.sync.maxStaleMs != null) {
            return Math.round(config.sync.maxStaleMs * 1000);
        }
        long files = FramePairer.defaultMaxStaleUs(visible.frameRate(), infrared.frameRate());
        return live ? 2 * files : files;
    }

    /** IR-to-visible registration from the calibration file, or identity (with rescaling) without one. */
    public IrRegistrar registrar(FrameGeometry g) {
        String file = config.registration.calibration;
        Calibration calibration = file == null ? Calibration.identity() : Calibration.load(Path.of(file));
        return new IrRegistrar(new FrameSize(g.irWidth(), g.irHeight()), new FrameSize(g.width(), g.height()), calibration);
    }

    /**
     * The registration of the second input's chroma planes: the same mapping at their size,
     * colourless (128) where it does not cover; public for {@code ivfuse bench}.
     */
    public IrRegistrar chromaRegistrar(FrameGeometry g) {
        String file = config.registration.calibration;
        Calibration calibration = file == null ? Calibration.identity() : Calibration.load(Path.of(file));
        return new IrRegistrar(new FrameSize(g.irChromaWidth(), g.irChromaHeight()),
                new FrameSize(g.chromaWidth(), g.chromaHeight()), calibration, 128);
    }

    /** The threads a run of this config gets (resolves the engine without creating it); for {@code ivfuse bench}. */
    public ThreadPlan threadPlan() {
        return ThreadPlan.of(config, engineProvider().heavy());
    }

    /** The configured engine's provider ({@code auto} resolved); its threads are not known yet, nor needed. */
    private FusionEngineProvider engineProvider() {
        return FusionEngines.provider(config.fusion.engine, InputRoles.of(config).mode(), engineOptions(0));
    }

    /** What the run's engine is created with (model, {@code intraOpThreads}, parameters); public for {@code ivfuse bench}. */
    public EngineOptions engineOptions(int intraOpThreads) {
        Path model = config.fusion.model == null ? null : Path.of(config.fusion.model);
        return new EngineOptions(model, intraOpThreads, config.fusion.params);
    }

    private ProgressBar progress(PipelineMetrics metrics, InputReader visible) {
        String mode = config.metrics.progress;
        boolean on = "on".equals(mode) || ("auto".equals(mode) && System.console() != null);
        if (!on) {
            return null;
        }
        long total = visible.lengthInFrames();
        if (config.pipeline.maxFrames > 0) {
            total = total > 0 ? Math.min(total, config.pipeline.maxFrames) : config.pipeline.maxFrames;
        }
        return new ProgressBar(err, metrics.framesOut::getCount, total);
    }

    /** The Dropwizard reporters the config asks for; closed (stopped) after a final report. */
    private final class Reporters implements AutoCloseable {
        private final List<ScheduledReporter> scheduled = new ArrayList<>();
        private JmxReporter jmx;

        Reporters(PipelineMetrics metrics) {
            IvfuseConfig.Metrics m = config.metrics;
            if (m.consolePeriodS > 0) {
                ConsoleReporter r = ConsoleReporter.forRegistry(metrics.registry).outputTo(streamOnto(err))
                        .convertDurationsTo(TimeUnit.MILLISECONDS).build();
                r.start(m.consolePeriodS, TimeUnit.SECONDS);
                scheduled.add(r);
            }
            if (m.csvDir != null) {
                File dir = new File(m.csvDir);
                if (!dir.isDirectory() && !dir.mkdirs()) {
                    throw new IvfuseException("config key 'metrics.csv_dir': cannot create " + dir);
                }
                CsvReporter r = CsvReporter.forRegistry(metrics.registry).convertDurationsTo(TimeUnit.MILLISECONDS).build(dir);
                r.start(m.csvPeriodS, TimeUnit.SECONDS);
                scheduled.add(r);
            }
            if (m.jmx) {
                jmx = JmxReporter.forRegistry(metrics.registry).inDomain("ivfuse").build();
                jmx.start();
            }
        }

        /** Dropwizard's ConsoleReporter prints to a PrintStream only: one that hands each flushed report to the writer. */
        private static PrintStream streamOnto(PrintWriter writer) {
            return new PrintStream(new ByteArrayOutputStream() {
                @Override
                public synchronized void flush() {
                    writer.write(toString(StandardCharsets.UTF_8));
                    writer.flush();
                    reset();
                }
            }, true, StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            for (ScheduledReporter r : scheduled) {
                r.report();
                r.stop();
            }
            if (jmx != null) {
                jmx.stop();
            }
        }
    }
}
