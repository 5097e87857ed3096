package io.ivfuse.util;

/**
 * Thread names that carry the camera pair they work for, so that thread dumps, profilers and log
 * lines (slf4j-simple prints the thread name) of {@code ivfuse serve} say which pair a line is
 * about. A pair's thread sets its id with {@link #scope(String)}; every thread it starts, and the
 * threads those start, inherit it. Outside a service there is no scope and names stay as they are.
 */
public final class ThreadNames {
    private static final InheritableThreadLocal<String> SCOPE = new InheritableThreadLocal<>();

    private ThreadNames() {
    }

    /** Sets the pair id of this thread and of the threads it starts from now on (null: none). */
    public static void scope(String pairId) {
        SCOPE.set(pairId);
    }

    /** {@code base}, or {@code base@<pair id>} on a pair's threads. */
    public static String of(String base) {
        String scope = SCOPE.get();
        return scope == null ? base : base + "@" + scope;
    }
}
