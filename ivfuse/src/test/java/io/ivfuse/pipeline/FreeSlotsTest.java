package io.ivfuse.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import io.ivfuse.testing.Deadline;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** The pairing thread parks on a full ring until the output stage frees a slot (no re-polling). */
class FreeSlotsTest {

    @Test
    void aFullRingParksTheProducerUntilTheOutputStageFreesASlot() throws Exception {
        RingBuffer<long[]> ring = RingBuffer.createSingleProducer(() -> new long[1], 4);
        Sequence output = new Sequence(-1);
        ring.addGatingSequences(output);
        FreeSlots slots = new FreeSlots();
        slots.outputSequence(output);
        Thread[] producer = new Thread[1];
        CompletableFuture<Long> claimed = CompletableFuture.supplyAsync(() -> { // one producer thread, as in the pipeline
            for (int i = 0; i < 4; i++) {
                ring.publish(slots.next(ring));
            }
            producer[0] = Thread.currentThread();
            return slots.next(ring); // the ring is full now
        });
        Deadline.within(10, TimeUnit.SECONDS).until("the producer parks on the free-slot signal",
                () -> producer[0] != null && LockSupport.getBlocker(producer[0]) == slots);
        assertSame(slots, LockSupport.getBlocker(producer[0]));
        slots.freed(0); // frame 0 has left: its slot is free at once, not at the end of a batch
        assertEquals(4L, claimed.get(10, TimeUnit.SECONDS));
        assertEquals(0L, output.get());
    }
}
