import static org.bytedeco.opencv.global.opencv_core.CV_8U;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The validation set for the mef student's design choices (benchmarks/mef.md): synthetic brackets
 * of VIFB's visible images (neither training data nor MEFB): each image exposed -STOPS and +STOPS
 * around the exposure that puts its mean luminance at mid-grey, gamma 2.2, clipped to 8 bits,
 * written as OUT/<name>/A.png (under) and B.png (over), the layout of {@code evaluate --mode mef}.
 * Usage: java -cp CLASSPATH benchmarks/MefValidationBrackets.java IMAGE_DIR OUT [STOPS]
 */
public class MefValidationBrackets {
    public static void main(String[] args) throws Exception {
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        double stops = args.length > 2 ? Double.parseDouble(args[2]) : 2.0;
        try (Stream<Path> files = Files.list(in)) {
            for (Path f : files.sorted().toList()) {
                Mat image = opencv_imgcodecs.imread(f.toString(), opencv_imgcodecs.IMREAD_COLOR);
                if (image.empty()) {
                    continue;
                }
                Mat gray = new Mat();
                opencv_imgproc.cvtColor(image, gray, opencv_imgproc.COLOR_BGR2GRAY);
                double mean = Math.max(1e-3, opencv_core.mean(gray).get(0) / 255);
                double centre = 2.2 * Math.log(0.5 / mean) / Math.log(2);
                String name = f.getFileName().toString().replaceFirst("\\.[^.]+$", "");
                Files.createDirectories(out.resolve(name));
                opencv_imgcodecs.imwrite(out.resolve(name).resolve("A.png").toString(), exposed(image, centre - stops));
                opencv_imgcodecs.imwrite(out.resolve(name).resolve("B.png").toString(), exposed(image, centre + stops));
            }
        }
    }

    static Mat exposed(Mat image, double stops) {
        Mat lut = new Mat(1, 256, CV_8U);
        ByteBuffer t = lut.createBuffer();
        for (int v = 0; v < 256; v++) {
            double linear = Math.pow(v / 255.0, 2.2) * Math.pow(2, stops);
            t.put(v, (byte) Math.round(255 * Math.pow(Math.min(1, linear), 1 / 2.2)));
        }
        Mat out = new Mat();
        opencv_core.LUT(image, lut, out);
        return out;
    }
}
