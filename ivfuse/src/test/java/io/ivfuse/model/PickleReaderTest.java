package io.ivfuse.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.IvfuseException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PickleReaderTest {

    /** Resolves nothing: plain data only. */
    static final PickleReader.Resolver NONE = new PickleReader.Resolver() {
        @Override
        public Object reduce(Object callable, List<Object> args) {
            throw new IvfuseException("no reduce: " + callable);
        }

        @Override
        public Object build(Object target, Object state) {
            throw new IvfuseException("no build");
        }

        @Override
        public Object persistentLoad(Object pid) {
            return "loaded:" + pid;
        }
    };

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof Integer i) {
                out.write(i);
            } else if (p instanceof Character c) {
                out.write(c);
            } else {
                out.writeBytes(((String) p).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    @Test
    void readsDictsTuplesIntsStringsAndMemo() {
        // pickle.dumps({'a': (1, 300, -2), 'b': 'a'}, protocol=2) written by hand, using the memo for 'a'
        byte[] p = bytes(0x80, 2, '}', 'q', 0, '(',
                'X', 1, 0, 0, 0, "a", 'q', 1,
                'K', 1, 'M', 0x2c, 0x01, 'J', 0xfe, 0xff, 0xff, 0xff, 0x87, 'q', 2,
                'X', 1, 0, 0, 0, "b", 'h', 1, 'u', '.');
        Object o = PickleReader.read(p, NONE, "test");
        assertEquals(Map.of("a", List.of(1L, 300L, -2L), "b", "a"), o);
    }

    @Test
    void readsPersistentIdsAndLong1() {
        byte[] p = bytes(0x80, 2, 'X', 3, 0, 0, 0, "key", 'Q', 0x8a, 2, 0x00, 0x80, 0x86, '.');
        assertEquals(List.of("loaded:key", -32768L), PickleReader.read(p, NONE, "test"));
    }

    @Test
    void rejectsUnsupportedOpcodesAndTruncation() {
        IvfuseException e = assertThrows(IvfuseException.class,
                () -> PickleReader.read(bytes(0x80, 2, 'S', "'x'\n", '.'), NONE, "f.pt"));
        assertTrue(e.getMessage().contains("unsupported pickle opcode 0x53") && e.getMessage().startsWith("f.pt"),
                e.getMessage());
        IvfuseException t = assertThrows(IvfuseException.class,
                () -> PickleReader.read(bytes(0x80, 2, 'X', 9, 0, 0, 0, "ab"), NONE, "f.pt"));
        assertTrue(t.getMessage().contains("truncated"), t.getMessage());
        IvfuseException g = assertThrows(IvfuseException.class,
                () -> PickleReader.read(bytes(0x80, 2, 'c', "os\nsystem\n", ')', 'R', '.'), NONE, "f.pt"));
        assertTrue(g.getMessage().contains("os.system"), g.getMessage());
    }
}
