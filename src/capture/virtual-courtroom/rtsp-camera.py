#!/usr/bin/python3
"""A camera-like RTSP server on loopback for the virtual courtroom: the recorder
connects to it as to a real IP camera. H.264, 640x360, 25 fps, one keyframe a
second. Usage: rtsp-camera.py PORT [PATH]. Prints "ready rtsp://..." when serving.
Lines on stdin change the picture while the frames keep coming: "frozen" (a
still image), "black", "live" (the moving ball again); each is answered "picture MODE".
Run with Debian's /usr/bin/python3 (python3-gi, gir1.2-gst-rtsp-server-1.0)."""
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

port = sys.argv[1] if len(sys.argv) > 1 else "8554"
path = sys.argv[2] if len(sys.argv) > 2 else "/cam"

Gst.init(None)
server = GstRtspServer.RTSPServer()
server.set_address("127.0.0.1")
server.set_service(port)
factory = GstRtspServer.RTSPMediaFactory()
factory.set_launch(
    "( videotestsrc name=src is-live=true pattern=ball background-color=0xff3060a0 ! video/x-raw,width=640,height=360,framerate=25/1 "
    "! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=25 pass=quant quantizer=26 "
    "! rtph264pay name=pay0 pt=96 config-interval=1 )"
)
factory.set_shared(True)

# the ball moves over a blue background; the still image is the colour chart; black is black
PATTERNS = {"live": ("ball", 0xFF3060A0), "frozen": ("colors", 0xFF3060A0), "black": ("solid-color", 0xFF000000)}
sources = []
mode = ["live"]


def on_configure(_factory, media):
    src = media.get_element().get_child_by_name("src")
    show(src, mode[0])
    sources.append(src)


def show(src, name):
    pattern, colour = PATTERNS[name]
    src.set_property("background-color", colour)
    src.set_property("foreground-color", colour if name == "black" else 0xFFFFFFFF)
    src.set_property("pattern", pattern)


def on_stdin(channel, _condition):
    line = channel.readline().strip()
    if not line:
        return False  # stdin closed: keep serving as is
    if line in PATTERNS:
        mode[0] = line
        for src in sources:
            show(src, line)
        print(f"picture {line}", flush=True)
    return True


factory.connect("media-configure", on_configure)
GLib.io_add_watch(GLib.IOChannel.unix_new(sys.stdin.fileno()), GLib.IO_IN | GLib.IO_HUP, on_stdin)
server.get_mount_points().add_factory(path, factory)
if server.attach(None) == 0:
    sys.exit(f"cannot listen on 127.0.0.1:{port}")
print(f"ready rtsp://127.0.0.1:{port}{path}", flush=True)
GLib.MainLoop().run()
