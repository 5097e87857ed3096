package io.ivfuse.fusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.IvfuseException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Engines declare their modes; the registry refuses a mismatch and picks {@code auto} per mode. */
class FusionModesTest {

    @Test
    void anEngineOfTheOtherModeIsRefusedNamingTheEnginesThatFit() {
        IvfuseException mef = assertThrows(IvfuseException.class,
                () -> FusionEngines.provider("average", FusionMode.MEF, EngineOptions.defaults()));
        assertTrue(mef.getMessage().startsWith("engine 'average' does not support mode mef; MEF engines: "), mef.getMessage());
        assertTrue(mef.getMessage().contains("mertens") && mef.getMessage().contains("mef-lut"), mef.getMessage());
        assertEquals(2, mef.exitCode());
        IvfuseException irVis = assertThrows(IvfuseException.class,
                () -> FusionEngines.create("mertens", EngineOptions.defaults()));
        assertTrue(irVis.getMessage().startsWith("engine 'mertens' does not support mode ir-vis; IR-VIS engines: "),
                irVis.getMessage());
        assertTrue(irVis.getMessage().contains("laplacian") && !irVis.getMessage().contains("mef-lut"), irVis.getMessage());
    }

    @Test
    void theClassicalEnginesHaveOneModeAndOnnxRuntimeBoth() {
        List<String> mef = FusionEngines.names(FusionMode.MEF);
        List<String> irVis = FusionEngines.names(FusionMode.IR_VIS);
        assertTrue(mef.containsAll(List.of("mef-lut", "mertens")), mef.toString());
        assertTrue(irVis.containsAll(List.of("laplacian", "average", "max", "passthrough", "onnxruntime")), irVis.toString());
        // onnxruntime runs a model of either mode (its model's ivfuse.mode; an embedded default for each)
        assertEquals(List.of("onnxruntime"), mef.stream().filter(irVis::contains).toList(), mef + " and " + irVis);
    }

    @Test
    void autoPicksTheBestEngineOfTheMode() {
        assertEquals("onnxruntime", FusionEngines.provider("auto", FusionMode.MEF, EngineOptions.defaults()).name());
        assertEquals("onnxruntime", FusionEngines.provider("auto", FusionMode.IR_VIS, EngineOptions.defaults()).name());
    }

    @Test
    void modesParseAsUsersSpellThem() {
        assertEquals(FusionMode.MEF, FusionMode.parse("MEF"));
        assertEquals(FusionMode.IR_VIS, FusionMode.parse("ir-vis"));
        IvfuseException bad = assertThrows(IvfuseException.class, () -> FusionMode.parse("hdr"));
        assertEquals("--mode: unknown value 'hdr' (use one of ir-vis, mef)", bad.getMessage());
    }

    @Test
    void mefEnginesRefuseInfraredSessionsAndTodaysRefuseExposureSessions() {
        try (FusionEngine lut = FusionEngines.create("mef-lut", FusionMode.MEF, EngineOptions.defaults());
                FusionEngine max = FusionEngines.create("max", EngineOptions.defaults())) {
            assertThrows(UnsupportedOperationException.class, () -> lut.openSession(8, 8));
            assertThrows(UnsupportedOperationException.class, () -> max.openExposureSession(8, 8, 2, false));
        }
    }

    @Test
    void mefLutParametersAreCheckedAndMertensTakesNone() {
        IvfuseException scale = assertThrows(IvfuseException.class, () -> FusionEngines.create("mef-lut", FusionMode.MEF,
                new EngineOptions(null, 0, java.util.Map.of("scale", "0"))));
        assertEquals("engine parameter 'scale' must be between 1 and 16, got 0", scale.getMessage());
        IvfuseException unknown = assertThrows(IvfuseException.class, () -> FusionEngines.create("mertens", FusionMode.MEF,
                new EngineOptions(null, 0, java.util.Map.of("levels", "3"))));
        assertEquals("config key 'fusion.params': engine 'mertens' has no parameter 'levels' (it takes none)", unknown.getMessage());
        try (FusionEngine e = FusionEngines.create("mef-lut", FusionMode.MEF,
                new EngineOptions(null, 0, java.util.Map.of("scale", "2", "radius", "3")));
                ExposureFusionSession s = e.openExposureSession(40, 30, 3, true)) {
            io.ivfuse.frame.YuvPlanes[] three = new io.ivfuse.frame.YuvPlanes[3];
            for (int k = 0; k < 3; k++) {
                three[k] = io.ivfuse.frame.YuvPlanes.allocate(40, 30, true);
                three[k].y().fill((byte) (40 + 80 * k));
            }
            io.ivfuse.frame.YuvPlanes out = io.ivfuse.frame.YuvPlanes.allocate(40, 30, true);
            s.fuse(three, out);
            int v = out.y().get(20, 15);
            assertTrue(v > 40 && v < 200, "three flat exposures fuse between the extremes: " + v);
        }
    }
}
