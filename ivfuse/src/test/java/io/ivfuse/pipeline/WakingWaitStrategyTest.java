package io.ivfuse.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import com.lmax.disruptor.util.DaemonThreadFactory;
import io.ivfuse.testing.Deadline;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** A ring stage waiting on the stage before it parks (no spinning), is woken by it, and ends on halt. */
class WakingWaitStrategyTest {

    @Test
    void aStageParksUntilTheStageBeforeItFinishesTheSlot() throws Exception {
        WakingWaitStrategy waits = new WakingWaitStrategy(2);
        Disruptor<long[]> ring = new Disruptor<>(() -> new long[1], 4, DaemonThreadFactory.INSTANCE,
                ProducerType.SINGLE, waits);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        Thread[] secondThread = new Thread[1];
        List<Long> seenBySecond = new CopyOnWriteArrayList<>();
        EventHandler<long[]> first = (slot, sequence, endOfBatch) -> {
            releaseFirst.await();
            slot[0] = 10 + sequence;
        };
        EventHandler<long[]> second = new EventHandler<>() {
            @Override
            public void onStart() {
                secondThread[0] = Thread.currentThread();
            }

            @Override
            public void onEvent(long[] slot, long sequence, boolean endOfBatch) {
                seenBySecond.add(slot[0]);
            }
        };
        ring.handleEventsWith(waits.signalling(first)).then(waits.signalling(second));
        ring.start();
        ring.publishEvent((slot, sequence) -> slot[0] = -1);

        Deadline.within(10, TimeUnit.SECONDS).until("the second stage parks on the strategy while the first holds slot 0",
                () -> secondThread[0] != null && LockSupport.getBlocker(secondThread[0]) == waits);
        assertEquals(List.of(), seenBySecond, "the second stage must not see a slot the first has not finished");
        releaseFirst.countDown();
        Deadline.within(10, TimeUnit.SECONDS).until("the second stage gets slot 0", () -> !seenBySecond.isEmpty());
        assertEquals(List.of(10L), seenBySecond);

        ring.halt();
        secondThread[0].join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(secondThread[0].isAlive(), "a halt must end a parked stage");
    }
}
