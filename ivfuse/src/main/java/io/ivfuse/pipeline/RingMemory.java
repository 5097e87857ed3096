package io.ivfuse.pipeline;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.ivfuse.IvfuseException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import org.bytedeco.javacpp.Pointer;

/**
 * How many ring slots fit in memory, checked before the ring is allocated.
 *
 * <p>A slot ({@link FrameEvent}) holds its pixel planes in direct buffers, allocated (and zeroed)
 * when the ring starts. They count against the JVM's direct-memory limit
 * ({@code -XX:MaxDirectMemorySize}, by default the maximum heap {@code -Xmx}) and, being resident,
 * against JavaCPP's {@code maxPhysicalBytes}, which JavaCPP compares with the process's resident
 * memory before each native allocation (decoders, encoders, OpenCV Mats) and fails beyond.
 * JavaCPP's {@code maxBytes} counts only JavaCPP's own allocations, not these buffers; the heap
 * holds only a few small objects per slot. The ring may take half of what is left under the
 * tighter of the two limits: the rest is for the input queues, codecs and engines.
 */
public final class RingMemory {
    /**
     * The most slots whatever the frame size (checked with the config): 36 minutes of frames at
     * 30 fps, far beyond any use, and already some 60 MB of per-slot objects on the heap.
     */
    public static final int MAX_SLOTS = 1 << 16;

    private final long directLeft;
    private final long physicalLeft;

    /**
     * @param directLeft   bytes left under the direct-memory limit
     * @param physicalLeft bytes left under JavaCPP's maxPhysicalBytes ({@link Long#MAX_VALUE} without one)
     */
    RingMemory(long directLeft, long physicalLeft) {
        this.directLeft = directLeft;
        this.physicalLeft = physicalLeft;
    }

    /** What this JVM has left now. */
    public static RingMemory now() {
        long maxPhysical = Pointer.maxPhysicalBytes();
        return new RingMemory(directLimit() - directUsed(),
                maxPhysical > 0 ? maxPhysical - Pointer.physicalBytes() : Long.MAX_VALUE);
    }

    /** The bytes the ring may take. */
    public long budgetBytes() {
        return Math.max(0, Math.min(directLeft, physicalLeft) / 2);
    }

    /** Throws, naming {@code pipeline.ring_size}, the sizes and the limit, when {@code slots} slots of these frames do not fit. */
    public void check(int slots, FrameGeometry g) {
        long slotBytes = FrameEvent.directBytes(g);
        long needed = slotBytes > Long.MAX_VALUE / slots ? Long.MAX_VALUE : slots * slotBytes;
        long budget = budgetBytes();
        if (needed <= budget) {
            return;
        }
        long fit = Math.min(budget / slotBytes, MAX_SLOTS);
        String limit = directLeft <= physicalLeft
                ? "the JVM's direct-memory limit, -XX:MaxDirectMemorySize or by default -Xmx"
                : "JavaCPP's maxPhysicalBytes, -Dorg.bytedeco.javacpp.maxPhysicalBytes";
        String advice = fit >= 2 ? "use " + Long.highestOneBit(fit) + " or less, or raise that limit" : "raise that limit";
        throw new IvfuseException(String.format(Locale.ROOT,
                "config key 'pipeline.ring_size' %d is too large for %dx%d frames (IR %dx%d): %d slots of %s need %s,"
                        + " over the %s the ring may use (half of what is left under %s); %s",
                slots, g.width(), g.height(), g.irWidth(), g.irHeight(), slots, bytes(slotBytes), bytes(needed),
                bytes(budget), limit, advice));
    }

    private static long directLimit() {
        try {
            long configured = Long.parseLong(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .getVMOption("MaxDirectMemorySize").getValue());
            if (configured > 0) {
                return configured;
            }
        } catch (RuntimeException e) {
            // not HotSpot: the default applies
        }
        return Runtime.getRuntime().maxMemory();
    }

    private static long directUsed() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).mapToLong(BufferPoolMXBean::getTotalCapacity)
                .sum();
    }

    static String bytes(long n) {
        if (n >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", n / (double) (1L << 30));
        }
        if (n >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", n / (double) (1L << 20));
        }
        return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
    }
}
