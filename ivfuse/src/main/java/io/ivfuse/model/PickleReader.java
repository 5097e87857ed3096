package io.ivfuse.model;

import io.ivfuse.IvfuseException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict reader of Python pickles: just the opcodes that {@code torch.save} emits for a
 * state dict (protocols 2 to 4). It never runs code: a {@code GLOBAL} becomes a {@link Global}
 * reference, and what {@code REDUCE}, {@code BUILD} and {@code BINPERSID} make of it is decided by
 * the {@link Resolver}, which rejects everything it does not know. Any other opcode is an error.
 *
 * <p>Tuples become unmodifiable {@link List}s, lists {@link ArrayList}s, dicts {@link LinkedHashMap}s,
 * ints {@link Long}s, floats {@link Double}s, strings {@link String}s, None {@code null}.
 */
public final class PickleReader {

    /** A {@code module.name} reference pushed by GLOBAL. */
    public record Global(String module, String name) {
        @Override
        public String toString() {
            return module + "." + name;
        }
    }

    /** Gives meaning to the objects a pickle builds; throws {@link IvfuseException} for anything unknown. */
    public interface Resolver {
        /** The object for {@code callable(*args)}; {@code callable} is usually a {@link Global}. */
        Object reduce(Object callable, List<Object> args);

        /** Applies BUILD's {@code state} to {@code target}; returns the resulting object. */
        Object build(Object target, Object state);

        /** The object a persistent id stands for (a tensor storage in torch). */
        Object persistentLoad(Object pid);
    }

    private static final Object MARK = new Object() {
        @Override
        public String toString() {
            return "MARK";
        }
    };

    private final ByteBuffer in;
    private final Resolver resolver;
    private final String source;
    private final List<Object> stack = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();

    private PickleReader(byte[] data, Resolver resolver, String source) {
        this.in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        this.resolver = resolver;
        this.source = source;
    }

    /** Reads one pickle; {@code source} names the data in error messages. */
    public static Object read(byte[] data, Resolver resolver, String source) {
        return new PickleReader(data, resolver, source).run();
    }

    private Object run() {
        try {
            while (true) {
                int pos = in.position();
                int op = in.get() & 0xFF;
                switch (op) {
                    case 0x80 -> { // PROTO
                        int proto = in.get() & 0xFF;
                        if (proto > 4) {
                            throw error(pos, "pickle protocol " + proto + " is not supported (2 to 4 are)");
                        }
                    }
                    case 0x95 -> in.getLong(); // FRAME: a length hint only
                    case '.' -> { // STOP
                        if (stack.size() != 1) {
                            throw error(pos, "STOP with " + stack.size() + " objects on the stack");
                        }
                        return stack.get(0);
                    }
                    case 'c' -> push(new Global(readLine(), readLine())); // GLOBAL
                    case 0x93 -> { // STACK_GLOBAL
                        String name = (String) pop();
                        String module = (String) pop();
                        push(new Global(module, name));
                    }
                    case 'q' -> memo.put((long) (in.get() & 0xFF), top(pos)); // BINPUT
                    case 'r' -> memo.put(in.getInt() & 0xFFFFFFFFL, top(pos)); // LONG_BINPUT
                    case 0x94 -> memo.put((long) memo.size(), top(pos)); // MEMOIZE
                    case 'h' -> push(memoGet(pos, in.get() & 0xFF)); // BINGET
                    case 'j' -> push(memoGet(pos, in.getInt() & 0xFFFFFFFFL)); // LONG_BINGET
                    case '}' -> push(new LinkedHashMap<Object, Object>()); // EMPTY_DICT
                    case ']' -> push(new ArrayList<Object>()); // EMPTY_LIST
                    case ')' -> push(List.of()); // EMPTY_TUPLE
                    case '(' -> push(MARK);
                    case 't' -> push(tuple(popToMark(pos))); // TUPLE
                    case 0x85 -> push(tuple(popN(1))); // TUPLE1
                    case 0x86 -> push(tuple(popN(2))); // TUPLE2
                    case 0x87 -> push(tuple(popN(3))); // TUPLE3
                    case 'J' -> push((long) in.getInt()); // BININT
                    case 'K' -> push((long) (in.get() & 0xFF)); // BININT1
                    case 'M' -> push((long) (in.getShort() & 0xFFFF)); // BININT2
                    case 0x8a -> push(long1(pos)); // LONG1
                    case 'G' -> push(Double.longBitsToDouble(Long.reverseBytes(in.getLong()))); // BINFLOAT (big-endian)
                    case 'X' -> push(utf8(in.getInt())); // BINUNICODE
                    case 0x8c -> push(utf8(in.get() & 0xFF)); // SHORT_BINUNICODE
                    case 'U' -> push(latin1(in.get() & 0xFF)); // SHORT_BINSTRING
                    case 'T' -> push(latin1(in.getInt())); // BINSTRING
                    case 0x88 -> push(Boolean.TRUE); // NEWTRUE
                    case 0x89 -> push(Boolean.FALSE); // NEWFALSE
                    case 'N' -> push(null); // NONE
                    case 'R' -> { // REDUCE
                        Object args = pop();
                        Object callable = pop();
                        if (!(args instanceof List<?> list)) {
                            throw error(pos, "REDUCE arguments are not a tuple");
                        }
                        @SuppressWarnings("unchecked")
                        List<Object> argList = (List<Object>) list;
                        push(resolver.reduce(callable, argList));
                    }
                    case 'b' -> { // BUILD
                        Object state = pop();
                        Object target = pop();
                        push(resolver.build(target, state));
                    }
                    case 'Q' -> push(resolver.persistentLoad(pop())); // BINPERSID
                    case 's' -> { // SETITEM
                        Object value = pop();
                        Object key = pop();
                        dict(pos, top(pos)).put(key, value);
                    }
                    case 'u' -> { // SETITEMS
                        List<Object> items = popToMark(pos);
                        Map<Object, Object> d = dict(pos, top(pos));
                        for (int i = 0; i + 1 < items.size(); i += 2) {
                            d.put(items.get(i), items.get(i + 1));
                        }
                    }
                    case 'a' -> { // APPEND
                        Object value = pop();
                        list(pos, top(pos)).add(value);
                    }
                    case 'e' -> { // APPENDS
                        List<Object> items = popToMark(pos);
                        list(pos, top(pos)).addAll(items);
                    }
                    default -> throw error(pos, String.format("unsupported pickle opcode 0x%02x", op));
                }
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new IvfuseException(source + ": truncated pickle");
        } catch (ClassCastException | IndexOutOfBoundsException e) {
            throw new IvfuseException(source + ": malformed pickle (" + e.getMessage() + ")");
        }
    }

    private IvfuseException error(int pos, String message) {
        return new IvfuseException(source + ": " + message + " at byte " + pos);
    }

    private void push(Object o) {
        stack.add(o);
    }

    private Object pop() {
        Object o = stack.remove(stack.size() - 1);
        if (o == MARK) {
            throw new IvfuseException(source + ": malformed pickle (unexpected MARK)");
        }
        return o;
    }

    private Object top(int pos) {
        if (stack.isEmpty()) {
            throw error(pos, "empty stack");
        }
        return stack.get(stack.size() - 1);
    }

    private Object memoGet(int pos, long key) {
        if (!memo.containsKey(key)) {
            throw error(pos, "memo key " + key + " is not defined");
        }
        return memo.get(key);
    }

    private List<Object> popN(int n) {
        List<Object> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            items.add(0, pop());
        }
        return items;
    }

    private List<Object> popToMark(int pos) {
        int mark = stack.lastIndexOf(MARK);
        if (mark < 0) {
            throw error(pos, "no MARK on the stack");
        }
        List<Object> items = new ArrayList<>(stack.subList(mark + 1, stack.size()));
        stack.subList(mark, stack.size()).clear();
        return items;
    }

    private static List<Object> tuple(List<Object> items) {
        return java.util.Collections.unmodifiableList(items);
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(int pos, Object o) {
        if (!(o instanceof Map)) {
            throw error(pos, "SETITEM on a " + typeName(o));
        }
        return (Map<Object, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(int pos, Object o) {
        if (!(o instanceof ArrayList)) {
            throw error(pos, "APPEND on a " + typeName(o));
        }
        return (List<Object>) o;
    }

    private static String typeName(Object o) {
        return o == null ? "None" : o.getClass().getSimpleName();
    }

    private Object long1(int pos) {
        int n = in.get() & 0xFF;
        if (n > 8) {
            throw error(pos, "integer of " + n + " bytes is too large");
        }
        byte[] le = new byte[n];
        in.get(le);
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (le[i] & 0xFF);
        }
        if (n > 0 && n < 8 && (le[n - 1] & 0x80) != 0) {
            v -= 1L << (8 * n); // two's complement sign
        }
        return v;
    }

    private String utf8(int length) {
        byte[] b = new byte[length];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private String latin1(int length) {
        byte[] b = new byte[length];
        in.get(b);
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private String readLine() {
        StringBuilder sb = new StringBuilder();
        while (true) {
            byte b = in.get();
            if (b == '\n') {
                return sb.toString();
            }
            sb.append((char) (b & 0xFF));
        }
    }

    @Override
    public String toString() {
        return "PickleReader[" + source + ", stack " + Arrays.toString(stack.toArray()) + "]";
    }
}
