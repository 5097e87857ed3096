package io.ivfuse.fusion.classical;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.fusion.FusionEngineProvider;
import io.ivfuse.fusion.FusionEngines;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassicalProvidersTest {

    @Test
    void allThreeAreRegisteredAvailableAndDescribed() {
        List<String> names = FusionEngines.names();
        for (String name : List.of("average", "max", "laplacian")) {
            assertTrue(names.contains(name), name + " missing from " + names);
            FusionEngineProvider p = FusionEngines.provider(name);
            assertTrue(p.isAvailable(), name);
            assertFalse(p.description().isBlank(), name);
        }
    }

    @Test
    void laplacianOutranksThePixelRules() {
        assertEquals(20, FusionEngines.provider("laplacian").rank());
        assertTrue(FusionEngines.provider("laplacian").rank() > FusionEngines.provider("average").rank());
        assertTrue(FusionEngines.provider("laplacian").rank() > FusionEngines.provider("max").rank());
        List<String> names = FusionEngines.names();
        assertTrue(names.indexOf("laplacian") < names.indexOf("average"), names.toString());
    }
}
