package io.ivfuse.source;

import io.ivfuse.IvfuseException;
import io.ivfuse.config.InputSpec;
import io.ivfuse.config.IvfuseConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A sequence of still frames through FFmpeg's image2 demuxer: a printf pattern
 * ({@code frames/%06d.png}) or a folder (its files in name order, as a glob of the most common
 * extension, spelled as the files spell it). Frame rate: option {@code framerate} (default 30).
 */
final class ImageSequenceInput implements InputKind {
    private static final Pattern PRINTF = Pattern.compile("%0?\\d*d");
    private static final List<String> IMAGE_EXTENSIONS = List.of("png", "jpg", "jpeg", "bmp", "tif", "tiff", "pgm", "ppm");

    static boolean isPattern(String path) {
        return PRINTF.matcher(path).find();
    }

    @Override
    public String name() {
        return "images";
    }

    @Override
    public List<String> schemes() {
        return List.of("images");
    }

    @Override
    public InputPlan plan(String role, InputSpec spec, IvfuseConfig.Live live) {
        String location = spec.uri.startsWith("images://") ? spec.uri.substring("images://".length()) : spec.uri;
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("framerate", "30");
        if (!isPattern(location)) {
            Path dir = Path.of(location);
            if (!Files.isDirectory(dir)) {
                throw new IvfuseException(role + " input '" + location + "': no such folder of frames");
            }
            String extension = commonExtension(role, dir);
            defaults.put("pattern_type", "glob");
            location = dir.resolve("*." + extension).toString();
        } else if (!Files.isDirectory(Path.of(location).toAbsolutePath().getParent())) {
            throw new IvfuseException(role + " input '" + location + "': the folder of the pattern does not exist");
        }
        return new InputPlan(role, location, spec.format != null ? spec.format : "image2",
                InputKinds.merge(defaults, spec), Boolean.TRUE.equals(spec.live), name());
    }

    private static String commonExtension(String role, Path dir) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            // The extension as spelled: the glob is case-sensitive, so "*.jpg" would miss IMG_0001.JPG.
            files.map(p -> p.getFileName().toString())
                    .filter(n -> n.lastIndexOf('.') > 0)
                    .map(n -> n.substring(n.lastIndexOf('.') + 1))
                    .filter(e -> IMAGE_EXTENSIONS.contains(e.toLowerCase(Locale.ROOT)))
                    .forEach(e -> counts.merge(e, 1, Integer::sum));
        } catch (IOException e) {
            throw new IvfuseException(role + " input '" + dir + "': cannot list the folder (" + e.getMessage() + ")", e);
        }
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .orElseThrow(() -> new IvfuseException(role + " input '" + dir + "': the folder holds no image files ("
                        + String.join(", ", IMAGE_EXTENSIONS) + ")"));
    }
}
