import io.ivfuse.testing.TestVideos;
import java.nio.file.Path;

/**
 * Writes the exposure pair mef-run.sh fuses: DIR/under.mkv and DIR/over.mkv, W x H, N frames at
 * 30 fps (FFV1, lossless): a moving texture with a brightness ramp, dark in one, bright in the other.
 * Usage: java -cp CLASSPATH benchmarks/MefRunInputs.java DIR [W H N]
 */
public class MefRunInputs {
    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int w = args.length > 1 ? Integer.parseInt(args[1]) : 640;
        int h = args.length > 2 ? Integer.parseInt(args[2]) : 480;
        int n = args.length > 3 ? Integer.parseInt(args[3]) : 300;
        TestVideos.write(dir.resolve("under.mkv"), w, h, 30, n, "ffv1", (i, x, y) -> 10 + (x / 3 + y / 5 + 2 * i) % 40 + x / 20);
        TestVideos.write(dir.resolve("over.mkv"), w, h, 30, n, "ffv1", (i, x, y) -> Math.min(255, 150 + (x / 3 + y / 5 + 2 * i) % 60 + x / 8));
    }
}
