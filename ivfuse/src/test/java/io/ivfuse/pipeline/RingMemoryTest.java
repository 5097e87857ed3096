package io.ivfuse.pipeline;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.IvfuseException;
import io.ivfuse.frame.Plane;
import io.ivfuse.job.Natives;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RingMemoryTest {
    private static final FrameGeometry VGA = new FrameGeometry(640, 480, 640, 480);
    private static final long GIB = 1L << 30;

    @Test
    void aSlotsDirectBytesAreEveryBufferItHolds() throws Exception {
        FrameGeometry g = new FrameGeometry(640, 480, 320, 256);
        FrameEvent slot = new FrameEvent(g);
        // Every buffer the slot holds, each counted once (outputY is a view of output): a buffer
        // added to FrameEvent without updating directBytes fails here.
        Set<ByteBuffer> buffers = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Field f : FrameEvent.class.getFields()) {
            Object v = f.get(slot);
            if (v instanceof ByteBuffer b) {
                buffers.add(b);
            } else if (v instanceof Plane p) {
                buffers.add(p.data());
            }
        }
        assertEquals(buffers.stream().mapToLong(ByteBuffer::capacity).sum(), FrameEvent.directBytes(g));
        assertEquals(3 * 640 * 480 + 320 * 256 + 640 * 480 * 3 / 2, FrameEvent.directBytes(g));
    }

    @Test
    void aRingOverHalfTheDirectMemoryLeftIsRefusedWithTheSizeThatFits() {
        RingMemory memory = new RingMemory(GIB, Long.MAX_VALUE);
        assertDoesNotThrow(() -> memory.check(256, VGA)); // 256 x 1.6 MiB = 412 MiB of 512
        IvfuseException e = assertThrows(IvfuseException.class, () -> memory.check(512, VGA));
        assertEquals("config key 'pipeline.ring_size' 512 is too large for 640x480 frames (IR 640x480): 512 slots of"
                + " 1.6 MiB need 825.0 MiB, over the 512.0 MiB the ring may use (half of what is left under the JVM's"
                + " direct-memory limit, -XX:MaxDirectMemorySize or by default -Xmx); use 256 or less, or raise that limit",
                e.getMessage());
    }

    @Test
    void theTighterLimitIsNamed() {
        IvfuseException e = assertThrows(IvfuseException.class, () -> new RingMemory(8 * GIB, GIB / 8).check(64, VGA));
        assertEquals("config key 'pipeline.ring_size' 64 is too large for 640x480 frames (IR 640x480): 64 slots of"
                + " 1.6 MiB need 103.1 MiB, over the 64.0 MiB the ring may use (half of what is left under JavaCPP's"
                + " maxPhysicalBytes, -Dorg.bytedeco.javacpp.maxPhysicalBytes); use 32 or less, or raise that limit",
                e.getMessage());
        IvfuseException none = assertThrows(IvfuseException.class, () -> new RingMemory(2_000_000, GIB).check(2, VGA));
        assertTrue(none.getMessage().endsWith("-Xmx); raise that limit"), none.getMessage());
    }

    @Test
    void theDefaultRingFitsFullHdFramesInThisJvm() {
        Natives.javacpp(); // JavaCPP's limits, as a run sets them
        assertDoesNotThrow(() -> RingMemory.now().check(16, new FrameGeometry(1920, 1080, 640, 512)));
    }
}
