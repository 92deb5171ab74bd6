"""A fake of the DaVinci Resolve Studio Python objects the V2M script uses.

It follows the documented signatures (README.txt / DaVinciResolveScript.pyi of Resolve's
Developer/Scripting folder) and the Python conventions of the real API, which differ from Lua's:
lists are lists, GetMarkers() is a dict keyed by float frame numbers, GetSetting returns strings.
Frames on the timeline are absolute (from GetStartFrame()); AddMarker takes
(frameId, color, name, note, duration, customData) with frameId relative to the timeline start,
and refuses an unknown colour, a duration under 1, or a second marker on the same frame.
AppendToTimeline takes a list of clipInfo dicts and refuses an unknown track or media type.
"""
from urllib.parse import quote
from xml.sax.saxutils import escape

COLORS = {"Blue", "Cyan", "Green", "Yellow", "Red", "Pink", "Purple", "Fuchsia", "Rose", "Lavender",
          "Sky", "Mint", "Lemon", "Sand", "Cocoa", "Cream"}
CLIP_INFO_KEYS = {"mediaPoolItem", "startFrame", "endFrame", "mediaType", "trackIndex", "recordFrame"}


class State:
    def __init__(self):
        self.imported = []
        self.audio_tracks = []
        self.markers = {}
        self.exports = []
        self.api_reads = 0


class MediaPoolItem:
    def __init__(self, path):
        self.path = path

    def GetClipProperty(self, name=None):
        props = {"File Path": self.path, "Clip Name": self.path.replace("\\", "/").split("/")[-1]}
        return props if name is None else props.get(name, "")

    def GetName(self):
        return self.GetClipProperty("Clip Name")


class TimelineItem:
    def __init__(self, clip, start):
        self.clip, self.start = clip, start

    def GetName(self):
        return self.clip["name"]

    def GetStart(self):
        return self.start + self.clip["recordIn"]

    def GetEnd(self):
        return self.start + self.clip["recordOut"]

    def GetLeftOffset(self):
        return self.clip["sourceIn"]

    def GetClipEnabled(self):
        return self.clip.get("enabled", True)

    def GetMediaPoolItem(self):
        return MediaPoolItem(self.clip["mediaPath"])


class Timeline:
    def __init__(self, spec, state, start):
        self.spec, self.state, self.start = spec, state, start

    def GetName(self):
        return self.spec["name"]

    def GetStartFrame(self):
        return self.start

    def GetEndFrame(self):
        return self.start + self.spec["durationFrames"]

    def GetSetting(self, name=None):
        settings = {"timelineFrameRate": str(self.spec["fps"]), "timelineDropFrameTimecode": "0"}
        return settings if name is None else settings.get(name, "")

    def GetTrackCount(self, track_type):
        if track_type == "video":
            return 1
        if track_type == "audio":
            return len(self.state.audio_tracks)
        return 0

    def GetItemListInTrack(self, track_type, index):
        self.state.api_reads += 1
        if track_type != "video" or index != 1:
            return []
        return [TimelineItem(c, self.start) for c in self.spec["clips"]]

    def GetMarkers(self):
        return {float(f): dict(m) for f, m in self.state.markers.items()}

    def AddMarker(self, frame_id, color, name, note, duration, custom_data=None):
        if not isinstance(frame_id, (int, float)) or frame_id != int(frame_id):
            raise TypeError("frameId must be a whole frame")
        if color not in COLORS or duration < 1 or int(frame_id) in self.state.markers:
            return False
        self.state.markers[int(frame_id)] = {"color": color, "duration": duration, "name": name, "note": note, "customData": custom_data or ""}
        return True

    def DeleteMarkerAtFrame(self, frame_num):
        return self.state.markers.pop(int(frame_num), None) is not None

    def AddTrack(self, track_type, sub_track_type=None):
        if track_type != "audio" or sub_track_type not in (None, "mono", "stereo", "5.1", "7.1"):
            return False
        self.state.audio_tracks.append({"subType": sub_track_type, "clips": []})
        return True

    def Export(self, file_name, export_type, export_subtype=None):
        self.state.exports.append({"path": file_name, "type": export_type})
        if export_type != Resolve.EXPORT_FCP_7_XML:
            return False
        broken = '<?xml version="1.0"?><xmeml version="5"></xmeml>'
        try:
            with open(file_name, "w", encoding="utf-8") as f:
                f.write(broken if self.spec.get("exportBroken") else fcp7xml(self.spec, self.start))
        except OSError:
            return False
        return True


def fcp7xml(spec, start):
    """What Resolve's FCP 7 XML export writes for the fake timeline (as the Lua fake does)."""
    fps = float(spec["fps"])
    rate = "<rate><timebase>%d</timebase><ntsc>%s</ntsc></rate>" % (round(fps), "FALSE" if fps == int(fps) else "TRUE")
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<!DOCTYPE xmeml>", '<xmeml version="5">',
           '<sequence id="%s">' % escape(spec["name"], {'"': "&quot;"}), "<name>%s</name>" % escape(spec["name"]),
           "<duration>%d</duration>" % spec["durationFrames"], rate,
           "<timecode>%s<frame>%d</frame><displayformat>NDF</displayformat></timecode>" % (rate, start), "<media><video><track>"]
    files = {}
    for i, c in enumerate(spec["clips"], 1):
        n = c["recordOut"] - c["recordIn"]
        out.append('<clipitem id="%s %d"><name>%s</name><duration>%d</duration>%s<start>%d</start><end>%d</end><in>%d</in><out>%d</out><enabled>%s</enabled>'
                   % (escape(c["name"], {'"': "&quot;"}), i, escape(c["name"]), n, rate, c["recordIn"], c["recordOut"], c["sourceIn"], c["sourceIn"] + n,
                      "TRUE" if c.get("enabled", True) else "FALSE"))
        if c["mediaPath"] in files:
            out.append('<file id="%s"/>' % files[c["mediaPath"]])
        else:
            files[c["mediaPath"]] = "file-%d" % i
            out.append('<file id="file-%d"><name>%s</name><pathurl>file://localhost%s</pathurl>%s<timecode>%s<frame>0</frame></timecode><media><video/></media></file>'
                       % (i, escape(c["mediaPath"].rsplit("/", 1)[-1]), quote(c["mediaPath"]), rate, rate))
        out.append("</clipitem>")
    out.append("</track></video></media>")
    for m in spec.get("markers", []):
        out.append("<marker><name>%s</name><comment></comment><in>%d</in><out>-1</out></marker>" % (escape(m["name"]), m["frame"]))
    out.append("</sequence></xmeml>")
    return "\n".join(out)


class MediaPool:
    def __init__(self, state):
        self.state = state

    def ImportMedia(self, items):
        if not isinstance(items, list):
            raise TypeError("ImportMedia takes a list of file paths")
        self.state.imported.extend(items)
        return [MediaPoolItem(p) for p in items]

    def AppendToTimeline(self, clip_infos):
        if not isinstance(clip_infos, list):
            raise TypeError("AppendToTimeline takes a list of clipInfo dicts")
        out = []
        for info in clip_infos:
            if set(info) - CLIP_INFO_KEYS or not isinstance(info.get("mediaPoolItem"), MediaPoolItem):
                return []
            index = info.get("trackIndex", 1)
            if info.get("mediaType") != 2 or not 1 <= index <= len(self.state.audio_tracks):
                return []
            self.state.audio_tracks[index - 1]["clips"].append({
                "path": info["mediaPoolItem"].path, "recordFrame": info["recordFrame"],
                "startFrame": info["startFrame"], "endFrame": info["endFrame"],
            })
            out.append(object())
        return out


class Project:
    def __init__(self, timeline, pool):
        self.timeline, self.pool = timeline, pool

    def GetCurrentTimeline(self):
        return self.timeline

    def GetMediaPool(self):
        return self.pool


class ProjectManager:
    def __init__(self, project):
        self.project = project

    def GetCurrentProject(self):
        return self.project


class Resolve:
    EXPORT_FCP_7_XML = 7

    def __init__(self, manager):
        self.manager = manager

    def GetProjectManager(self):
        return self.manager


def new(spec):
    """Returns (resolve, state, start) for a timeline spec like the Lua fake's."""
    state = State()
    start = spec.get("startFrame", 86400)
    for m in spec.get("markers", []):
        state.markers[m["frame"]] = {"color": "Red", "duration": 1, "name": m["name"], "note": "", "customData": ""}
    timeline = Timeline(spec, state, start) if spec.get("timeline", True) else None
    project = Project(timeline, MediaPool(state)) if spec.get("project", True) else None
    return Resolve(ProjectManager(project)), state, start
