package io.ivfuse.sink;

import io.ivfuse.IvfuseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;

/**
 * File names of a segmented recording: a pattern with strftime codes ({@code %Y %m %d %H %M %S %y
 * %j %s %F %T %%}), filled with each segment's start time. A name already taken (an earlier run,
 * or several segments starting within one second) gets {@code -1}, {@code -2}... before the
 * extension, so nothing is overwritten.
 */
final class SegmentNames {
    /** Added before the extension of a file pattern that has no code of its own. */
    static final String DEFAULT_STAMP = "-%Y%m%d-%H%M%S";
    /** The name of segments in a folder. */
    static final String FOLDER_PATTERN = "fused" + DEFAULT_STAMP;

    private SegmentNames() {
    }

    /** The pattern for an output location: a folder gets {@code fused-%Y%m%d-%H%M%S.<ext>}; a plain file name a stamp. */
    static String pattern(String location, boolean folder, String extension) {
        if (folder) {
            return Path.of(location).resolve(FOLDER_PATTERN + "." + extension).toString();
        }
        if (location.indexOf('%') >= 0) {
            return location;
        }
        Path p = Path.of(location);
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stamped = dot < 0 ? name + DEFAULT_STAMP : name.substring(0, dot) + DEFAULT_STAMP + name.substring(dot);
        return p.resolveSibling(stamped).toString();
    }

    /** Fails on a code this class does not know, naming it. */
    static void check(String pattern, String label) {
        format(pattern, ZonedDateTime.now(), label);
    }

    static String format(String pattern, ZonedDateTime t, String label) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '%') {
                sb.append(c);
                continue;
            }
            if (i + 1 >= pattern.length()) {
                throw new IvfuseException(label + ": the file name pattern ends in a lone '%'");
            }
            char code = pattern.charAt(++i);
            switch (code) {
                case 'Y' -> sb.append(String.format("%04d", t.getYear()));
                case 'y' -> sb.append(String.format("%02d", t.getYear() % 100));
                case 'm' -> sb.append(String.format("%02d", t.getMonthValue()));
                case 'd' -> sb.append(String.format("%02d", t.getDayOfMonth()));
                case 'H' -> sb.append(String.format("%02d", t.getHour()));
                case 'M' -> sb.append(String.format("%02d", t.getMinute()));
                case 'S' -> sb.append(String.format("%02d", t.getSecond()));
                case 'j' -> sb.append(String.format("%03d", t.getDayOfYear()));
                case 's' -> sb.append(t.toEpochSecond());
                case 'F' -> sb.append(String.format("%04d-%02d-%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth()));
                case 'T' -> sb.append(String.format("%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond()));
                case '%' -> sb.append('%');
                default -> throw new IvfuseException(label + ": unknown time code '%" + code
                        + "' in the file name pattern (use %Y %m %d %H %M %S %y %j %s %F %T or %%)");
            }
        }
        return sb.toString();
    }

    /** The file for a segment starting at {@code t}: the pattern filled in, made unique. */
    static Path next(String pattern, ZonedDateTime t, String label) {
        Path file = Path.of(format(pattern, t, label));
        if (!Files.exists(file)) {
            return file;
        }
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot < 0 ? name : name.substring(0, dot);
        String ext = dot < 0 ? "" : name.substring(dot);
        for (int n = 1; ; n++) {
            Path candidate = file.resolveSibling(stem + "-" + n + ext);
            if (!Files.exists(candidate)) {
                return candidate;
            }
        }
    }
}
