package io.ivfuse.demo;

/**
 * A synthetic dual-spectrum scene for {@code ivfuse demo}, evaluated analytically at any point and
 * time: a lit street with a textured brick building, a road and a tree's deep shadow. Two people
 * walk through the shadow in dark clothes (nearly invisible to the visible camera, hot to the
 * thermal one) and a car drives along the road. Coordinates are visible-camera pixels (640x480).
 */
final class DemoScene {
    static final int WIDTH = 640;
    static final int HEIGHT = 480;

    private DemoScene() {
    }

    /** Visible colour at (x, y) and time t (seconds), as {r, g, b} in 0..255 written into {@code rgb}. */
    static void color(double x, double y, double t, double[] rgb) {
        double r;
        double g;
        double b;
        if (inBuilding(x, y)) {
            boolean window = ((int) ((x - 70) / 40) % 2 == 0) && ((int) ((y - 75) / 45) % 2 == 0)
                    && x > 70 && x < 250 && y > 75 && y < 280 && (x - 70) % 40 > 8 && (y - 75) % 45 > 10;
            if (window) {
                r = 40; g = 60; b = 95;
            } else {
                int row = (int) (y / 8);
                double bx = (x + (row % 2) * 8) % 16;
                boolean mortar = y % 8 < 1.2 || bx < 1.2;
                double tone = noise(Math.floor((x + (row % 2) * 8) / 16), row) * 30;
                r = mortar ? 190 : 150 + tone;
                g = mortar ? 185 : 78 + tone * 0.4;
                b = mortar ? 175 : 60;
            }
        } else if (y < 150) {
            double k = y / 150;
            r = 90 + 90 * k; g = 130 + 70 * k; b = 200 + 30 * k;
        } else if (y >= 330 && y < 400) {
            boolean lane = Math.abs(y - 365) < 2 && (x % 60) < 32;
            double grain = noise(Math.floor(x / 2), Math.floor(y / 2)) * 18;
            r = lane ? 235 : 95 + grain; g = lane ? 235 : 95 + grain; b = lane ? 220 : 100 + grain;
        } else {
            double grain = noise(Math.floor(x / 3), Math.floor(y / 3)) * 40;
            r = 70 + grain * 0.5; g = 125 + grain; b = 55 + grain * 0.3;
        }
        if (inShadow(x, y)) {
            r *= 0.28; g *= 0.3; b *= 0.3;
        }
        for (Person p : PEOPLE) {
            if (p.covers(x, y, t) > 0.5) {
                r = 34; g = 36; b = 34; // dark clothes in deep shadow: hard to see
            }
        }
        double car = carCoverage(x, y, t);
        if (car > 0) {
            boolean glass = y < carTop(t) + 14 && y > carTop(t) + 3;
            r = glass ? 60 : 185; g = glass ? 80 : 30; b = glass ? 110 : 35;
        }
        double light = 1.12 - 0.45 * x / WIDTH; // the sun is to the left
        rgb[0] = clamp(r * light);
        rgb[1] = clamp(g * light);
        rgb[2] = clamp(b * light);
    }

    /** Apparent temperature at (x, y) and time t, as a gray level 0..255 (hot is bright). */
    static double heat(double x, double y, double t) {
        double h;
        if (inBuilding(x, y)) {
            boolean window = x > 70 && x < 250 && y > 75 && y < 280 && ((int) ((x - 70) / 40) % 2 == 0)
                    && ((int) ((y - 75) / 45) % 2 == 0);
            h = window ? 58 : 88;
        } else if (y < 150) {
            h = 22 + 10 * y / 150; // cold sky
        } else if (y >= 330 && y < 400) {
            h = 105; // sun-warmed asphalt
        } else {
            h = 70 + noise(Math.floor(x / 6), Math.floor(y / 6)) * 8;
        }
        if (inShadow(x, y)) {
            h -= 12; // shaded ground is cooler
        }
        for (Person p : PEOPLE) {
            double c = p.covers(x, y, t);
            h = h * (1 - c) + 228 * c;
        }
        double car = carCoverage(x, y, t);
        if (car > 0) {
            double front = carLeft(t) + 110;
            boolean engine = x > front - 35 && x < front;
            h = engine ? 205 : 130;
        }
        return clamp(h);
    }

    private static boolean inBuilding(double x, double y) {
        return x >= 60 && x < 260 && y >= 60 && y < 300;
    }

    private static boolean inShadow(double x, double y) {
        double dx = (x - 470) / 170;
        double dy = (y - 250) / 90;
        return dx * dx + dy * dy < 1 && y > 150 && y < 330;
    }

    private static double carLeft(double t) {
        return -120 + 190 * t;
    }

    private static double carTop(double t) {
        return 335;
    }

    private static double carCoverage(double x, double y, double t) {
        double left = carLeft(t);
        return x >= left && x < left + 110 && y >= carTop(t) && y < carTop(t) + 45 ? 1 : 0;
    }

    /** A walker: an ellipse body and a round head, moving at constant speed, soft-edged. */
    private record Person(double x0, double speed, double feetY, double scale) {
        double covers(double x, double y, double t) {
            double cx = x0 + speed * t;
            double sway = Math.sin(t * 6 + x0) * 2;
            double bodyY = feetY - 40 * scale;
            double body = soft(1 - Math.hypot((x - cx - sway) / (11 * scale), (y - bodyY) / (38 * scale)));
            double head = soft(1 - Math.hypot(x - cx, y - (feetY - 86 * scale)) / (9 * scale));
            return Math.max(body, head);
        }
    }

    private static final Person[] PEOPLE = {
        new Person(330, 55, 315, 1.0),
        new Person(640, -42, 295, 0.8),
    };

    private static double soft(double v) {
        return v <= 0 ? 0 : v >= 0.15 ? 1 : v / 0.15;
    }

    /** Deterministic value noise in [-0.5, 0.5] for integer cells. */
    private static double noise(double cx, double cy) {
        long h = (long) cx * 374761393L + (long) cy * 668265263L;
        h = (h ^ (h >>> 13)) * 1274126177L;
        return ((h ^ (h >>> 16)) & 0xFFFF) / 65535.0 - 0.5;
    }

    private static double clamp(double v) {
        return v < 0 ? 0 : v > 255 ? 255 : v;
    }
}
