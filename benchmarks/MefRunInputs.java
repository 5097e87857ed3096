import io.ivfuse.testing.TestVideos;
import java.nio.file.Path;

/**
 * Writes the exposure pair mef-run.sh fuses: DIR/under.mkv and DIR/over.mkv, W x H, N frames at
 * 30 fps (FFV1, lossless): a moving texture with a brightness ramp, dark in one, bright in the other.
 * With {@code --bracketed}, also DIR/bracketed.mkv: one stream alternating the two, frame by frame.
 * Usage: java -cp CLASSPATH benchmarks/MefRunInputs.java DIR [W H N [--bracketed]]
 */
public class MefRunInputs {
    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int w = args.length > 1 ? Integer.parseInt(args[1]) : 640;
        int h = args.length > 2 ? Integer.parseInt(args[2]) : 480;
        int n = args.length > 3 ? Integer.parseInt(args[3]) : 300;
        TestVideos.write(dir.resolve("under.mkv"), w, h, 30, n, "ffv1", MefRunInputs::under);
        TestVideos.write(dir.resolve("over.mkv"), w, h, 30, n, "ffv1", MefRunInputs::over);
        if (args.length > 4 && "--bracketed".equals(args[4])) {
            // one stream alternating the two: even frames under, odd frames over (the scene moves on every frame)
            TestVideos.write(dir.resolve("bracketed.mkv"), w, h, 30, n, "ffv1",
                    (i, x, y) -> i % 2 == 0 ? under(i, x, y) : over(i, x, y));
        }
    }

    private static int under(int i, int x, int y) {
        return 10 + (x / 3 + y / 5 + 2 * i) % 40 + x / 20;
    }

    private static int over(int i, int x, int y) {
        return Math.min(255, 150 + (x / 3 + y / 5 + 2 * i) % 60 + x / 8);
    }
}
