package io.ivfuse.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/** A partial shared folder skips the test, naming exactly the files it lacks. */
class SharedFilesTest {
    @TempDir
    Path root;

    @Test
    void presentFilesAreReturnedInOrder() throws Exception {
        Files.createDirectories(root.resolve("data/a"));
        Files.writeString(root.resolve("data/a/one.png"), "1");
        Files.writeString(root.resolve("two.tsv"), "2");
        assertEquals(List.of(root.resolve("two.tsv"), root.resolve("data/a/one.png")),
                SharedFiles.requireAll(root, List.of("two.tsv", "data/a/one.png")));
    }

    @Test
    void aPartlyPresentFolderSkipsAndNamesOnlyTheMissingFiles() throws Exception {
        Files.writeString(root.resolve("present.png"), "x");
        TestAbortedException skip = assertThrows(TestAbortedException.class,
                () -> SharedFiles.requireAll(root, List.of("present.png", "ir/missing.jpg", "gone.tsv")));
        String reason = skip.getMessage();
        assertTrue(reason.contains("lacks 2 of the 3 file(s)"), reason);
        assertTrue(reason.contains("ir/missing.jpg") && reason.contains("gone.tsv"), reason);
        assertFalse(reason.contains("present.png"), reason);
    }

    @Test
    void anAbsentFolderSkipsAndSaysSo() {
        Path none = root.resolve("no-shared-here");
        TestAbortedException skip = assertThrows(TestAbortedException.class,
                () -> SharedFiles.requireAll(none, List.of("data/x.png")));
        assertTrue(skip.getMessage().contains(none + " is absent"), skip.getMessage());
    }
}
