"""V2M Studio for DaVinci Resolve Studio (Python scripting: Workspace > Scripts > V2M Studio (Python)).

The same round trip and protocol as "V2M Studio.lua" (the free version's script): find the app
through its discovery file, pair once, send the timeline (FCP7 XML export, or the timeline read
through the API when the app cannot read timeline files), wait for the music generated in the
app, import it, append it on a new audio track at the timeline start and add the markers with
our id in customData. Python has HTTP and JSON built in, so no curl is needed here.
"""
import json
import os
import platform
import sys
import time
import urllib.error
import urllib.request

CONFIG = globals().get("V2M_CONFIG", {})
# Loopback only: never route the app's port through a proxy from the environment.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
RESOLVE_COLOR = {"blue": "Blue", "cyan": "Cyan", "green": "Green", "yellow": "Yellow", "red": "Red", "purple": "Purple", "orange": "Sand"}


class V2MError(Exception):
    def __init__(self, message, code="FAILED"):
        super().__init__(message)
        self.code = code


def data_dir():
    """Same rule as the app (core/store/data-dir.ts)."""
    if CONFIG.get("dataDir"):
        return CONFIG["dataDir"]
    if os.environ.get("V2M_DATA_DIR"):
        return os.environ["V2M_DATA_DIR"]
    home = os.path.expanduser("~")
    if sys.platform == "win32":
        return os.path.join(os.environ.get("APPDATA", os.path.join(home, "AppData", "Roaming")), "V2M Studio")
    if platform.system() == "Darwin":
        return os.path.join(home, "Library", "Application Support", "V2M Studio")
    return os.path.join(os.environ.get("XDG_CONFIG_HOME", os.path.join(home, ".config")), "V2M Studio")


class Client:
    def __init__(self):
        self.dir = data_dir()
        path = os.path.join(self.dir, "panel-bridge.json")
        if not os.path.exists(path):
            raise V2MError("V2M Studio is not running (no %s). Start the app, then run this script again." % path)
        with open(path, encoding="utf-8") as f:
            self.info = json.load(f)
        self.token_file = os.path.join(self.dir, "resolve-panel.token")
        self.token = None
        try:
            self.call("GET", "ping")
        except V2MError:
            raise V2MError("V2M Studio is not running (nothing answers on port %s). Start the app, then run this script again." % self.info["port"])

    def call(self, method, op, body=None):
        data = json.dumps(body or {}).encode("utf-8") if method == "POST" else None
        req = urllib.request.Request(self.info["httpBase"] + "/" + op, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if self.token:
            req.add_header("Authorization", "Bearer " + self.token)
        try:
            with OPENER.open(req, timeout=120) as res:
                text = res.read().decode("utf-8")
        except urllib.error.HTTPError as e:
            # Refusals (401, 404, ...) still carry the protocol's JSON error.
            text = e.read().decode("utf-8", "replace")
        except (urllib.error.URLError, OSError) as e:
            raise V2MError("V2M Studio did not answer (%s)." % getattr(e, "reason", e))
        try:
            env = json.loads(text)
        except ValueError:
            raise V2MError("V2M Studio did not answer with the panel protocol (%s)." % (text.strip()[:200] or "empty reply"))
        if not env.get("ok"):
            raise V2MError(env["error"]["message"], env["error"].get("code", "FAILED"))
        return env.get("result")

    def ensure_paired(self, ask_code):
        if os.path.exists(self.token_file):
            with open(self.token_file, encoding="utf-8") as f:
                self.token = f.read().strip()
            try:
                self.call("POST", "status")
                return
            except V2MError as e:
                if e.code != "NOT_PAIRED":
                    raise
                os.remove(self.token_file)
                self.token = None
        code = ask_code()
        if not code:
            raise V2MError("Pairing was cancelled: run the script again and type the code V2M Studio shows.")
        token = self.call("POST", "pair", {"code": code, "client": "DaVinci Resolve script (Python)"})["token"]
        tmp = self.token_file + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(token)
        os.replace(tmp, self.token_file)
        self.token = token


def rate_of(fps):
    fps = float(fps)
    for base in (24, 30, 48, 60, 120):
        if abs(fps - base * 1000 / 1001) < 0.005:
            return {"num": base * 1000, "den": 1001}
    return {"num": int(round(fps)), "den": 1}


def read_timeline(timeline):
    start = timeline.GetStartFrame()
    rate = rate_of(timeline.GetSetting("timelineFrameRate"))
    clips = []
    for t in range(1, timeline.GetTrackCount("video") + 1):
        for item in timeline.GetItemListInTrack("video", t) or []:
            mpi = item.GetMediaPoolItem()
            left = item.GetLeftOffset()
            length = item.GetEnd() - item.GetStart()
            clips.append({
                "name": item.GetName(), "track": t - 1, "mediaPath": (mpi.GetClipProperty("File Path") if mpi else "") or "",
                "offline": False, "enabled": item.GetClipEnabled() if hasattr(item, "GetClipEnabled") else True, "recordIn": item.GetStart() - start, "recordOut": item.GetEnd() - start,
                "sourceInSec": left * rate["den"] / rate["num"], "sourceOutSec": (left + length) * rate["den"] / rate["num"],
            })
    markers = []
    for frame, m in sorted((timeline.GetMarkers() or {}).items()):
        if not str(m.get("customData", "")).startswith("v2m-"):
            markers.append({"frame": int(frame), "durationFrames": int(m.get("duration", 0)), "name": m.get("name", ""), "note": m.get("note", "")})
    return {
        "name": timeline.GetName(), "editor": "resolve", "rate": rate,
        "dropFrame": timeline.GetSetting("timelineDropFrameTimecode") == "1",
        "durationFrames": timeline.GetEndFrame() - start, "videoClips": clips, "markers": markers,
    }


def place(project, timeline, placement):
    pool = project.GetMediaPool()
    items = pool.ImportMedia([placement["musicPath"]])
    if not items:
        raise V2MError("Resolve could not import %s." % placement["musicPath"])
    if not timeline.AddTrack("audio", "stereo"):
        raise V2MError("Resolve refused to add an audio track.")
    track = timeline.GetTrackCount("audio")
    appended = pool.AppendToTimeline([{
        "mediaPoolItem": items[0], "startFrame": 0, "endFrame": placement["durationFrames"] - 1,
        "trackIndex": track, "recordFrame": timeline.GetStartFrame() + placement["startFrame"], "mediaType": 2,
    }])
    if not appended:
        raise V2MError("Resolve could not put the music on the timeline.")
    replaced = 0
    for frame, m in list((timeline.GetMarkers() or {}).items()):
        if str(m.get("customData", "")).startswith("v2m-"):
            timeline.DeleteMarkerAtFrame(frame)
            replaced += 1
    added = 0
    for m in placement["markers"]:
        if timeline.AddMarker(m["frame"], RESOLVE_COLOR.get(m["color"], "Green"), m["name"], m["note"], max(1, m["durationFrames"]), m["id"]):
            added += 1
    return {"audioTrack": track, "markersAdded": added, "markersReplaced": replaced}


def ask_code():
    if CONFIG.get("pairingCode"):
        return CONFIG["pairingCode"]
    if os.environ.get("V2M_PAIRING_CODE"):
        return os.environ["V2M_PAIRING_CODE"]
    fu = globals().get("fu") or globals().get("fusion")
    if fu is not None:
        r = fu.AskUser("V2M Studio pairing", {1: {1: "Code", 2: "Text", "Name": "Pairing code shown by V2M Studio", "Lines": 1}})
        return r and r.get("Code")
    return None


def wait_job(client, job_id, timeout_sec):
    waited, poll = 0.0, CONFIG.get("pollSec", 1)
    while True:
        s = client.call("POST", "job", {"jobId": job_id})
        if s["state"] == "done":
            return s
        if s["state"] == "failed":
            raise V2MError("V2M Studio: " + s.get("error", "the job failed"))
        if waited >= timeout_sec:
            raise V2MError("V2M Studio did not finish %s within %s s." % (job_id, timeout_sec))
        time.sleep(poll)
        waited += poll


def run(resolve, say=print):
    project = resolve.GetProjectManager().GetCurrentProject()
    if not project:
        raise V2MError("Open a Resolve project first.")
    timeline = project.GetCurrentTimeline()
    if not timeline:
        raise V2MError("Open a timeline first (the one to score).")
    client = Client()
    client.ensure_paired(ask_code)
    opened = None
    xml = os.path.join(client.info["exchangeDir"], "".join(c if c.isalnum() or c in "-_ " else "_" for c in timeline.GetName()) + ".xml")
    if getattr(resolve, "EXPORT_FCP_7_XML", None) is not None and timeline.Export(xml, resolve.EXPORT_FCP_7_XML):
        try:
            opened = client.call("POST", "openTimelineFile", {"path": xml, "editor": "resolve"})
        except V2MError as e:
            # The app cannot read Resolve's export: read the timeline through the API instead.
            if e.code not in ("BAD_TIMELINE", "FAILED"):
                raise
            say("The FCP7 XML export could not be read (%s); reading the timeline through the scripting API instead." % e)
    if opened is None:
        opened = client.call("POST", "openSequence", {"sequence": read_timeline(timeline)})
    for w in opened.get("warnings", []):
        say(w)
    say('Timeline "%s" sent; V2M Studio is analysing it.' % timeline.GetName())
    wait_job(client, opened["jobId"], CONFIG.get("analysisTimeoutSec", 1800))
    say("Shape the rhythm and generate music in V2M Studio; this script places it when it is ready.")
    waited, poll, limit = 0.0, CONFIG.get("pollSec", 2), CONFIG.get("generationTimeoutSec", 3600)
    while True:
        try:
            placement = client.call("POST", "placement", {"clipId": opened["clipId"]})
            break
        except V2MError as e:
            if e.code != "NO_GENERATION" or waited >= limit:
                raise
            time.sleep(poll)
            waited += poll
    r = place(project, timeline, placement)
    say("Placed the music on audio track A%d and %d markers." % (r["audioTrack"], r["markersAdded"]))
    r.update(clipId=opened["clipId"], generationId=placement["generationId"])
    return r


# Resolve runs the file as a script (globals `resolve`, `fu`); tests load it with V2M_LIBRARY set.
if "V2M_LIBRARY" not in globals():
    host = globals().get("resolve")
    if host is None:
        try:
            import DaVinciResolveScript as dvr  # noqa: E402  (Resolve's own module, on its script path)
            host = dvr.scriptapp("Resolve")
        except ImportError:
            host = None
    if host is None:
        print("[V2M Studio] Run this from DaVinci Resolve Studio: Workspace > Scripts > V2M Studio (Python).")
    else:
        try:
            run(host, lambda t: print("[V2M Studio] " + t))
        except V2MError as e:
            print("[V2M Studio] Error: %s" % e)
