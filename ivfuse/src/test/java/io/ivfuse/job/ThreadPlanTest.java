package io.ivfuse.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.IvfuseException;
import io.ivfuse.config.ConfigValidator;
import io.ivfuse.config.IvfuseConfig;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The thread plan: what each stage gets from the core count and the engine, and config overrides. */
class ThreadPlanTest {

    private static ThreadPlan plan(int cores, boolean heavy) {
        IvfuseConfig c = new IvfuseConfig();
        c.pipeline.cores = cores;
        return ThreadPlan.of(c, heavy);
    }

    /** decoder, fusion, intra-op, encoder. */
    private static void assertPlan(ThreadPlan p, int decoder, int fusion, int intraOp, int encoder) {
        assertEquals(decoder, p.decoderThreads(), "decoder threads of " + p.line());
        assertEquals(fusion, p.fusionThreads(), "fusion threads of " + p.line());
        assertEquals(intraOp, p.intraOpThreads(), "intra-op threads of " + p.line());
        assertEquals(encoder, p.encoderThreads(), "encoder threads of " + p.line());
    }

    @Test
    void aHeavyEngineGetsASingleThreadedSessionPerCoreUpToEight() {
        assertPlan(plan(1, true), 1, 1, 1, 1);
        assertPlan(plan(2, true), 1, 2, 1, 1);
        assertPlan(plan(4, true), 1, 4, 1, 1);
        assertPlan(plan(8, true), 1, 8, 1, 1);
        assertPlan(plan(16, true), 2, 8, 2, 2);
        assertPlan(plan(64, true), 4, 8, 8, 8);
    }

    @Test
    void aLightEngineLeavesTheCoresToTheEncoder() {
        assertPlan(plan(1, false), 1, 1, 1, 1);
        assertPlan(plan(2, false), 1, 1, 1, 2);
        assertPlan(plan(16, false), 2, 1, 1, 16);
    }

    @Test
    void everyThreadUsedNeverExceedsTheCoresByMoreThanTheSmallStages() {
        for (int cores = 1; cores <= 64; cores++) {
            ThreadPlan p = plan(cores, true);
            assertTrue(p.fusionThreads() * p.intraOpThreads() <= cores, p.line());
        }
    }

    @Test
    void countsTheConfigSetAreTakenAsTheyAre() {
        IvfuseConfig c = new IvfuseConfig();
        c.pipeline.cores = 2;
        c.fusion.threads = 1;
        c.fusion.intraOpThreads = 2;
        c.output.encoderThreads = 3;
        c.input.decoderThreads = 4;
        ThreadPlan p = ThreadPlan.of(c, true);
        assertPlan(p, 4, 1, 2, 3);
        assertEquals(Set.of("fusion.threads", "fusion.intra_op_threads", "output.encoder_threads", "input.decoder_threads"),
                p.overridden());
        assertEquals("input.decoder_threads,fusion.threads,fusion.intra_op_threads,output.encoder_threads",
                p.describe().get("set_by_config"));
    }

    @Test
    void withoutACoreCountThePlanUsesWhatTheJvmMayUse() {
        assertEquals(Runtime.getRuntime().availableProcessors(), ThreadPlan.of(new IvfuseConfig(), true).cores());
    }

    @Test
    void negativeOrHugeCountsAreConfigErrors() {
        IvfuseConfig c = new IvfuseConfig();
        c.input.vis = io.ivfuse.config.InputSpec.of("v.mp4");
        c.input.ir = io.ivfuse.config.InputSpec.of("i.mp4");
        c.output.path = "o.mp4";
        c.output.encoderThreads = -1;
        assertEquals("config key 'output.encoder_threads' must be 0 (the thread plan's choice) to 256, got -1",
                assertThrows(IvfuseException.class, () -> ConfigValidator.validate(c)).getMessage());
        c.output.encoderThreads = 0;
        c.pipeline.cores = 1000;
        assertEquals("config key 'pipeline.cores' must be 0 (the thread plan's choice) to 256, got 1000",
                assertThrows(IvfuseException.class, () -> ConfigValidator.validate(c)).getMessage());
    }
}
