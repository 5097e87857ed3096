import io.ivfuse.frame.Plane;
import io.ivfuse.frame.YuvPlanes;
import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.ExposureFusionSession;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionEngines;
import io.ivfuse.fusion.FusionMode;
import io.ivfuse.fusion.exposure.ExposureBrackets;
import io.ivfuse.fusion.video.BracketedScenes;
import io.ivfuse.fusion.video.GhostSuppressor;
import io.ivfuse.fusion.video.MefVideoOptions;
import io.ivfuse.fusion.video.TemporalWeightFilter;
import io.ivfuse.job.Natives;
import io.ivfuse.quality.metric.TemporalStability;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Ghost suppression and weight smoothing on bracketed video synthesised from the shared M3SVD
 * visible frames (20 consecutive 640x480 frames per sequence): frame t is exposed 2 stops under
 * (t even) or over (t odd) of the exposure that puts the clip's mean at mid-grey (gamma 2.2,
 * Gaussian noise 1.5 levels, clipped), a striped 64-pixel square crosses the scene at 24 pixels a
 * frame, and from frame 10 the over exposure steps down 1 stop and hunts (an auto-exposure
 * settling). Each output frame fuses the latest frame with the latest of the other exposure (the
 * sliding pairs of run --bracketed), with the latest as reference, per engine and per setting:
 * <ul>
 * <li>temporal stability (io.ivfuse.quality.metric.TemporalStability, sources = the pair's two
 *     frames; lower is steadier);</li>
 * <li>ghosting: mean |F - F*| over the square's places at t and t - 1 (grown by 8 pixels), where F*
 *     is the same engine fusing both exposures taken at instant t (no motion);</li>
 * <li>fusion-only frames/s of the engine alone and with both steps, interleaved round by round.</li>
 * </ul>
 * Usage: java -cp CLASSPATH benchmarks/MefVideo.java SHARED_M3SVD_FRAMES [rounds [quality]]
 * ({@code quality}: stability and ghosting only, no timing: deterministic, so it needs no quiet
 * machine; {@code speed}: the frames/s alone)
 */
public class MefVideo {
    static final String[] ENGINES = {"mertens", "mef-lut", "onnxruntime"};
    static final int SIDE = 64;
    static final int STEP = 24;
    static final int TOP = 200;
    static final double STOPS = 2;
    static final double NOISE = 1.5;
    /** The over exposure's gain relative to its first, per over frame (odd t): a step down and hunting from t = 10. */
    static double overGain(int t) {
        double[] hunt = {0.5, 0.75, 0.6, 0.7, 0.65};
        return t < 10 ? 1 : hunt[Math.min(hunt.length - 1, (t - 10) / 2)];
    }

    record Setting(String name, boolean deghost, double smoothing) {
    }

    static final Setting[] SETTINGS = {new Setting("off", false, 0), new Setting("deghost", true, 0),
        new Setting("smoothing", false, MefVideoOptions.DEFAULT_WEIGHT_SMOOTHING),
        new Setting("both", true, MefVideoOptions.DEFAULT_WEIGHT_SMOOTHING)};

    public static void main(String[] args) throws Exception {
        Natives.opencv();
        Path root = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        boolean timed = args.length < 3 || !args[2].equals("quality");
        boolean measured = args.length < 3 || !args[2].equals("speed");
        List<List<YuvPlanes>> clips = new ArrayList<>();
        try (Stream<Path> seqs = Files.list(root)) {
            for (Path seq : seqs.sorted().toList()) {
                List<YuvPlanes> frames = new ArrayList<>();
                try (Stream<Path> files = Files.list(seq.resolve("vis"))) {
                    for (Path f : files.sorted().toList()) {
                        try (Mat bgr = opencv_imgcodecs.imread(f.toString())) {
                            frames.add(ExposureBrackets.planes(bgr, true));
                        }
                    }
                }
                clips.add(frames);
            }
        }
        int w = clips.get(0).get(0).width();
        int h = clips.get(0).get(0).height();
        System.out.printf(Locale.ROOT, "%d clips x %d frames, %dx%d%n", clips.size(), clips.get(0).size(), w, h);
        System.out.println("engine       setting    temporal_stability  ghosting  (means over the clips)");
        for (String engineName : ENGINES) {
            try (FusionEngine engine = FusionEngines.create(engineName, FusionMode.MEF, EngineOptions.defaults());
                 ExposureFusionSession session = engine.openExposureSession(w, h, 2, true)) {
                for (Setting setting : measured ? SETTINGS : new Setting[0]) {
                    double stability = 0;
                    double ghosting = 0;
                    for (int c = 0; c < clips.size(); c++) {
                        double[] r = measure(session, clips.get(c), c, setting, w, h);
                        stability += r[0] / clips.size();
                        ghosting += r[1] / clips.size();
                    }
                    System.out.printf(Locale.ROOT, "%-12s %-10s %8.3f            %6.2f%n", engineName, setting.name,
                            stability, ghosting);
                }
                if (timed) {
                    speed(session, clips.get(0), w, h, rounds, engineName);
                }
            }
        }
    }

    /** Temporal stability and ghosting of one clip. */
    static double[] measure(ExposureFusionSession session, List<YuvPlanes> clip, int clipIndex, Setting setting, int w, int h) {
        double base = centringGain(clip.get(0).y());
        YuvPlanes scene = YuvPlanes.allocate(w, h, true);
        YuvPlanes under = YuvPlanes.allocate(w, h, true);
        YuvPlanes over = YuvPlanes.allocate(w, h, true);
        YuvPlanes other = YuvPlanes.allocate(w, h, true);
        YuvPlanes fused = YuvPlanes.allocate(w, h, true);
        YuvPlanes aligned = YuvPlanes.allocate(w, h, true);
        TemporalStability stability = new TemporalStability();
        double ghost = 0;
        int ghostFrames = 0;
        try (GhostSuppressor ghosts = new GhostSuppressor(w, h, true, MefVideoOptions.DEFAULT_THRESHOLD);
             TemporalWeightFilter smoothing = setting.smoothing > 0
                     ? new TemporalWeightFilter(w, h, setting.smoothing, MefVideoOptions.DEFAULT_THRESHOLD) : null) {
            for (int t = 0; t < clip.size(); t++) {
                boolean overNow = t % 2 == 1;
                sceneAt(clip.get(t), t, scene);
                double underGain = base * Math.pow(2, -STOPS);
                double overGain = base * Math.pow(2, STOPS) * overGain(t | 1);
                BracketedScenes.expose(scene, overNow ? overGain : underGain, NOISE, new Random(1000L * clipIndex + t),
                        overNow ? over : under);
                if (t == 0) {
                    continue; // no partner yet
                }
                YuvPlanes[] pair = {under, over};
                int reference = overNow ? 1 : 0;
                session.fuse(setting.deghost ? ghosts.suppress(pair, reference) : pair, fused);
                if (smoothing != null) {
                    smoothing.apply(pair, reference, fused);
                }
                stability.accept(under.y(), over.y(), fused.y());
                // the same instant in both exposures: what the output would be without motion
                BracketedScenes.expose(scene, overNow ? underGain : overGain, NOISE, new Random(7_000_000L + 1000L * clipIndex + t), other);
                session.fuse(overNow ? new YuvPlanes[] {other, over} : new YuvPlanes[] {under, other}, aligned);
                int x0 = Math.min(objectX(t - 1), objectX(t)) - 8;
                int x1 = Math.max(objectX(t - 1), objectX(t)) + SIDE + 8;
                if (x1 <= w) {
                    ghost += BracketedScenes.meanAbsDiff(fused.y(), aligned.y(), Math.max(0, x0), TOP - 8, x1, TOP + SIDE + 8);
                    ghostFrames++;
                }
            }
        }
        return new double[] {stability.value(), ghost / ghostFrames};
    }

    static int objectX(int t) {
        return 16 + STEP * t;
    }

    static void sceneAt(YuvPlanes clean, int t, YuvPlanes scene) {
        BracketedScenes.copy(clean, scene);
        BracketedScenes.pasteObject(scene, objectX(t), TOP, SIDE);
    }

    /** The linear gain that puts the frame's mean linear luminance at mid-grey (0.5 displayed). */
    static double centringGain(Plane y) {
        double s = 0;
        for (int r = 0; r < y.height(); r++) {
            for (int x = 0; x < y.width(); x++) {
                s += Math.pow(y.get(x, r) / 255.0, 2.2);
            }
        }
        return Math.pow(0.5, 2.2) / Math.max(1e-4, s / ((double) y.width() * y.height()));
    }

    /** Fusion-only frames/s, engine alone and with both steps, alternating round by round; medians. */
    static void speed(ExposureFusionSession session, List<YuvPlanes> clip, int w, int h, int rounds, String engineName) {
        double base = centringGain(clip.get(0).y());
        int n = clip.size();
        YuvPlanes[][] pairs = new YuvPlanes[n][];
        YuvPlanes scene = YuvPlanes.allocate(w, h, true);
        for (int t = 0; t < n; t++) {
            sceneAt(clip.get(t), t, scene);
            YuvPlanes u = YuvPlanes.allocate(w, h, true);
            YuvPlanes o = YuvPlanes.allocate(w, h, true);
            BracketedScenes.expose(scene, base / 4, NOISE, new Random(t), u);
            sceneAt(clip.get(Math.max(0, t - 1)), Math.max(0, t - 1), scene);
            BracketedScenes.expose(scene, base * 4, NOISE, new Random(t + 99), o);
            pairs[t] = new YuvPlanes[] {u, o};
        }
        YuvPlanes fused = YuvPlanes.allocate(w, h, true);
        double[] plain = new double[rounds];
        double[] both = new double[rounds];
        int frames = 60;
        try (GhostSuppressor ghosts = new GhostSuppressor(w, h, true, MefVideoOptions.DEFAULT_THRESHOLD);
             TemporalWeightFilter smoothing = new TemporalWeightFilter(w, h, MefVideoOptions.DEFAULT_WEIGHT_SMOOTHING,
                     MefVideoOptions.DEFAULT_THRESHOLD)) {
            for (int i = 0; i < 10; i++) { // warm-up
                session.fuse(ghosts.suppress(pairs[i % n], 0), fused);
                smoothing.apply(pairs[i % n], 0, fused);
            }
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < frames; i++) {
                    session.fuse(pairs[i % n], fused);
                }
                plain[r] = frames / ((System.nanoTime() - t0) / 1e9);
                t0 = System.nanoTime();
                for (int i = 0; i < frames; i++) {
                    session.fuse(ghosts.suppress(pairs[i % n], 0), fused);
                    smoothing.apply(pairs[i % n], 0, fused);
                }
                both[r] = frames / ((System.nanoTime() - t0) / 1e9);
            }
        }
        Arrays.sort(plain);
        Arrays.sort(both);
        System.out.printf(Locale.ROOT, "%-12s fusion-only fps (median of %d rounds x %d frames, 640x480): off %.1f, deghost+smoothing %.1f, ratio %.2f%n",
                engineName, rounds, frames, plain[rounds / 2], both[rounds / 2], both[rounds / 2] / plain[rounds / 2]);
    }
}
