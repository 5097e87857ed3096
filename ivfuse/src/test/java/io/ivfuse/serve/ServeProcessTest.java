package io.ivfuse.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.cli.Main;
import io.ivfuse.testing.CameraClips;
import io.ivfuse.testing.Deadline;
import io.ivfuse.testing.FfmpegCli;
import io.ivfuse.testing.IvfuseProcess;
import io.ivfuse.testing.RtspTestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ivfuse serve} as a command: its bad input (exit 2, one line) and, as a process, SIGHUP and SIGTERM. */
class ServeProcessTest {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/");

    @TempDir
    Path dir;

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome serve(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 1];
        all[0] = "serve";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), all);
        return new Outcome(code, out.toString(), err.toString());
    }

    private static void assertBadInput(Outcome o, String part) {
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().startsWith("ivfuse: error: ") && o.err().contains(part), o.err());
        assertEquals(1, o.err().strip().lines().count(), "one line, no stack trace: " + o.err());
    }

    @Test
    void badInputExitsWithTwoNamingTheProblem() throws Exception {
        Path site = Files.writeString(dir.resolve("site.yaml"), "pairs: []\n");
        assertBadInput(serve("--config", site.toString(), "--token-file", dir.resolve("nope.txt").toString()), "nope.txt");
        Path empty = Files.writeString(dir.resolve("empty.txt"), "\n");
        assertBadInput(serve("--config", site.toString(), "--token-file", empty.toString()), "empty.txt: the file is empty");
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "pairs:\n  - {id: a, calibraton: x.yaml}\n");
        assertBadInput(serve("--config", bad.toString()), "unknown key 'pairs[0].calibraton'");
        assertBadInput(serve("--config", site.toString(), "--listen", "localhost"), "expected HOST:PORT");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertBadInput(serve("--config", site.toString(), "--listen", "127.0.0.1:" + taken.getLocalPort()), "is the port in use?");
        }
    }

    @Test
    void sighupReloadsAndSigtermFinishesEveryOutput() throws Exception {
        CameraClips clips = CameraClips.write(dir);
        try (RtspTestServer cams = RtspTestServer.start(Map.of("vis", clips.visible(), "ir", clips.infrared()), null)) {
            Path out = Files.createDirectories(dir.resolve("out"));
            String[] urls = {cams.url("vis"), cams.url("ir")};
            Path site = Files.writeString(dir.resolve("site.yaml"),
                    ServeTest.site(out, ServeTest.ordered("a", urls, "b", urls), Map.of()));
            Path log = dir.resolve("serve.log");
            Process p = new ProcessBuilder(IvfuseProcess.command("serve", "--config", site.toString(), "--listen", "127.0.0.1:0"))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                Deadline.within(30, TimeUnit.SECONDS).until("the service listens",
                        () -> LISTENING.matcher(read(log)).find() || !p.isAlive());
                Matcher m = LISTENING.matcher(read(log));
                assertTrue(m.find(), read(log));
                ServeClient api = new ServeClient(Integer.parseInt(m.group(1)), null);
                Deadline.within(30, TimeUnit.SECONDS).until("both pairs fuse", () -> api.get("/health/ready").status() == 200
                        && api.get("/api/pairs/b").json().get("frames").asLong() > 15);
                assertTrue(read(log).contains("@a] [INFO] fusing"), "log lines carry the pair id:\n" + read(log));
                assertFalse(read(log).contains("SIGHUP is ignored"), "this test was started with SIGHUP ignored (nohup?), so it cannot reload");

                Files.writeString(site, ServeTest.site(out, ServeTest.ordered("a", urls), Map.of()));
                assertEquals(0, new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start().waitFor());
                try {
                    Deadline.within(20, TimeUnit.SECONDS).until("SIGHUP stopped pair b, which left the file",
                            () -> api.get("/api/pairs").json().get("pairs").size() == 1);
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "; the service's log:\n" + read(log), e);
                }
                assertEquals(404, api.get("/api/pairs/b").status());
                assertEquals("online", api.get("/api/pairs/a").json().get("state").asText());
                assertEquals(0, api.get("/api/pairs/a").json().get("restarts").asLong(), "pair a was left alone");

                long signalled = System.nanoTime();
                p.toHandle().destroy(); // SIGTERM
                assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the service stops within the bound:\n" + read(log));
                double seconds = (System.nanoTime() - signalled) / 1e9;
                assertEquals(0, p.exitValue(), read(log));
                assertTrue(seconds < 20, "stopped in " + seconds + " s");
            } finally {
                p.destroyForcibly();
            }
            String text = read(log);
            assertTrue(text.contains("ivfuse serve: stopped"), text);
            assertFalse(text.contains("Exception"), text);
            for (String id : List.of("a", "b")) {
                assertTrue(FfmpegCli.countFrames(out.resolve(id + ".mkv").toString(), 60) > 10, id + " finished:\n" + text);
            }
        }
    }

    @Test
    void underNohupItSaysThatSighupWillNotReload() throws Exception {
        // A signal ignored at start stays ignored in the JVM: without this line a SIGHUP reload would silently do nothing.
        Path site = Files.writeString(dir.resolve("site.yaml"), "pairs: []\n");
        Path log = dir.resolve("serve.log");
        List<String> command = new ArrayList<>(List.of("nohup"));
        command.addAll(IvfuseProcess.command("serve", "--config", site.toString(), "--listen", "127.0.0.1:0"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Deadline.within(30, TimeUnit.SECONDS).until("the service listens", () -> LISTENING.matcher(read(log)).find() || !p.isAlive());
            assertTrue(read(log).contains("SIGHUP is ignored by this process (started under nohup?)"), read(log));
            p.toHandle().destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), read(log));
            assertEquals(0, p.exitValue(), read(log));
        } finally {
            p.destroyForcibly();
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
