#!/usr/bin/python3
"""RTSP test camera on 127.0.0.1 (GStreamer RTSP server). Each --mount plays an H.264 Matroska file
in real time from start-up, watched or not; all clients of a mount share that one live timeline.
Prints 'READY <port>' once listening ('BUSY <port>' before, while it waits for a taken port).
Driven by src/test/java/io/ivfuse/testing/RtspTestServer.java."""
import argparse, os, signal, sys
import gi
gi.require_version("Gst", "1.0"); gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer

MEDIA = "( appsrc name=src is-live=true do-timestamp=true format=time ! rtph264pay name=pay0 pt=96 config-interval=-1 )"


def die(message):  # sys.exit() raised in a GLib callback would only be printed
    print(message, file=sys.stderr, flush=True)
    os._exit(1)


class Camera:
    """Plays a file paced by the clock (appsink sync=true) and pushes each frame to the appsrc of
    every prepared media of its mount. The appsrcs stamp frames on arrival, so each client's
    timestamps run on across loops."""
    def __init__(self, path, loop, on_end):
        self.pipeline = Gst.parse_launch(
            "filesrc name=file ! matroskademux ! h264parse ! appsink name=sink sync=true emit-signals=true")
        self.pipeline.get_by_name("file").set_property("location", path)
        self.sink = self.pipeline.get_by_name("sink")
        self.sink.connect("new-sample", self.on_sample)
        self.pipeline.get_bus().add_signal_watch()
        self.pipeline.get_bus().connect("message", self.on_message, path, loop, on_end)
        self.appsrcs = []
        self.pipeline.set_state(Gst.State.PLAYING)

    def on_sample(self, sink):
        buf = sink.emit("pull-sample").get_buffer().copy()  # shares the memory; new timestamps only
        buf.pts = buf.dts = Gst.CLOCK_TIME_NONE
        for appsrc in list(self.appsrcs):
            # A buffer pushed before its media is PLAYING can stall that media for good (GStreamer 1.22).
            if appsrc.get_state(0)[1] == Gst.State.PLAYING:
                appsrc.emit("push-buffer", buf)
        return Gst.FlowReturn.OK

    def on_message(self, bus, msg, path, loop, on_end):
        if msg.type == Gst.MessageType.EOS and loop:
            self.pipeline.seek_simple(Gst.Format.TIME, Gst.SeekFlags.FLUSH, 0)
        elif msg.type == Gst.MessageType.EOS:  # clients get the end of stream; new ones a 404
            on_end()
            for appsrc in list(self.appsrcs):
                appsrc.emit("end-of-stream")
        elif msg.type == Gst.MessageType.ERROR:
            die(f"error playing {path}: {msg.parse_error()}")

    def on_media(self, factory, media):  # a mount's shared media is made for its first client
        appsrc = media.get_element().get_by_name("src")
        appsrc.set_property("caps", self.sink.get_static_pad("sink").get_current_caps())
        self.appsrcs.append(appsrc)
        media.connect("unprepared", lambda m: self.appsrcs.remove(appsrc))  # the last client left


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--port", type=int, default=8554, help="0: any free port")
    p.add_argument("--mount", action="append", default=[], metavar="/NAME=FILE.mkv")
    p.add_argument("--auth", metavar="USER:PASSWORD", help="require Basic auth on every mount")
    p.add_argument("--loop", action="store_true", help="replay the files forever")
    p.add_argument("--bind-timeout", type=float, default=0, metavar="S", help="retry a busy port this long")
    p.add_argument("--check", action="store_true", help="only check that the GStreamer elements exist")
    args = p.parse_args()
    Gst.init(None)
    needed = ("appsrc", "appsink", "matroskademux", "h264parse", "rtph264pay")
    missing = [e for e in needed if not Gst.ElementFactory.find(e)]
    if missing or args.check:
        sys.exit(f"missing GStreamer elements: {' '.join(missing)}" if missing else 0)
    server = GstRtspServer.RTSPServer(address="127.0.0.1", service=str(args.port))
    if args.auth:  # no default token, so a request without the right credentials gets 401
        auth, token = GstRtspServer.RTSPAuth(), GstRtspServer.RTSPToken()
        token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, "user")
        auth.add_basic(GstRtspServer.RTSPAuth.make_basic(*args.auth.split(":", 1)), token)
        server.set_auth(auth)
    cameras = []
    for name, path in (m.split("=", 1) for m in args.mount):
        if not os.path.isfile(path):
            die(f"no such file: {path}")
        cameras.append(Camera(path, args.loop, lambda name=name: server.get_mount_points().remove_factory(name)))
        factory = GstRtspServer.RTSPMediaFactory(shared=True, launch=MEDIA)
        factory.connect("media-configure", cameras[-1].on_media)
        if args.auth:
            factory.add_role_from_structure(Gst.Structure.new_from_string(
                "user, media.factory.access=(boolean)true, media.factory.construct=(boolean)true"))
        server.get_mount_points().add_factory(name, factory)
    for camera in cameras:  # wait for preroll: a media's caps come from its camera
        if camera.pipeline.get_state(10 * Gst.SECOND)[0] != Gst.StateChangeReturn.SUCCESS:
            die(f"could not play {camera.pipeline.get_by_name('file').get_property('location')}")
    loop = GLib.MainLoop()
    for sig in (signal.SIGTERM, signal.SIGINT):  # before READY: a caller may stop us right after it
        GLib.unix_signal_add(GLib.PRIORITY_HIGH, sig, loop.quit)
    deadline = GLib.get_monotonic_time() + args.bind_timeout * 1e6

    def bind():  # True: try again on the next timer tick
        try:
            server.create_source(None).attach(None)
        except GLib.Error as e:
            return GLib.get_monotonic_time() < deadline or die(e.message)
        print(f"READY {server.get_bound_port()}", flush=True)
        return False
    if bind():
        print(f"BUSY {args.port}", flush=True)  # retrying (a test can wait for this line)
        GLib.timeout_add(100, bind)
    loop.run()
    os._exit(0)  # no teardown: streaming threads must not call into a finalising interpreter


if __name__ == "__main__":
    main()
