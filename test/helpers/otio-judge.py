"""Reads an editor timeline with OpenTimelineIO and prints what our tests compare, as JSON.

Usage: otio-judge.py read <file> [adapter|-] [rate]    -> JSON on stdout
       otio-judge.py write <spec.json> <out> [adapter]  -> writes a timeline OTIO builds
       otio-judge.py convert <file> <out.otio> [rate]  -> OTIO's reading saved as .otio JSON

Times are frames at the timeline rate (rounded from OTIO's RationalTime), plus seconds: OTIO's
FCPX adapter truncates NTSC rates to whole numbers (29.97 -> 29), so tests of NTSC files compare
OTIO's seconds rounded to frames at the file's true rate.
"""
import json
import sys

import opentimelineio as otio


def frames(t, rate):
    return int(round(t.rescaled_to(rate).value))


def timeline_rate(tl):
    for track in tl.tracks:
        for item in track:
            if item.source_range is not None:
                return item.source_range.duration.rate
    return 24.0


def marker_json(m, offset, rate):
    return {
        "sec": m.marked_range.start_time.to_seconds(),
        "name": m.name,
        "color": m.color,
        "frame": frames(m.marked_range.start_time, rate) + offset,
        "duration": frames(m.marked_range.duration, rate),
        "comment": m.comment,
    }


def track_json(track, rate):
    items = []
    markers = [marker_json(m, 0, rate) for m in track.markers]
    for item in track:
        if isinstance(item, otio.schema.Transition):
            items.append({"type": "transition", "name": item.name,
                          "in": frames(item.in_offset, rate), "out": frames(item.out_offset, rate)})
            continue
        rng = track.range_of_child(item)
        rec_in = frames(rng.start_time, rate)
        rec_out = rec_in + frames(rng.duration, rate)
        entry = {"type": "gap" if isinstance(item, otio.schema.Gap) else "clip", "name": item.name,
                 "recordIn": rec_in, "recordOut": rec_out,
                 "inSec": rng.start_time.to_seconds(), "outSec": rng.end_time_exclusive().to_seconds()}
        if isinstance(item, otio.schema.Clip):
            ref = item.media_reference
            entry["url"] = getattr(ref, "target_url", None)
            if item.source_range is not None:
                entry["sourceIn"] = frames(item.source_range.start_time, rate)
        # Clip markers are in the item's source time; move them to record time.
        src_start = item.source_range.start_time if item.source_range is not None else None
        for m in item.markers:
            local = m.marked_range.start_time - src_start if src_start is not None else m.marked_range.start_time
            mj = marker_json(m, 0, rate)
            mj["frame"] = rec_in + frames(local, rate)
            mj["sec"] = rng.start_time.to_seconds() + local.to_seconds()
            markers.append(mj)
        items.append(entry)
    return {"name": track.name, "kind": track.kind, "items": items, "markers": markers}


def read(path, adapter=None, rate=None):
    kwargs = {"rate": rate} if rate else {}
    result = otio.adapters.read_from_file(path, adapter_name=adapter, **kwargs)
    if isinstance(result, otio.schema.SerializableCollection):
        timelines = list(result.find_children(descended_from_type=otio.schema.Timeline))
        if timelines:
            result = timelines[0]
        else:
            # An FCPXML event without a project: OTIO gives loose clips; judge its first compound clip.
            stacks = [c for c in result if isinstance(c, otio.schema.Stack)]
            tl = otio.schema.Timeline(name=stacks[0].name)
            tl.tracks = stacks[0].deepcopy()
            result = tl
    tl = result
    rate = timeline_rate(tl)
    start = tl.global_start_time
    out = {
        "name": tl.name,
        "rate": rate,
        "globalStart": frames(start, rate) if start is not None else None,
        "duration": frames(tl.duration(), rate),
        "stackMarkers": [marker_json(m, 0, rate) for m in tl.tracks.markers],
        "video": [track_json(t, rate) for t in tl.video_tracks()],
        "audio": [track_json(t, rate) for t in tl.audio_tracks()],
    }
    print(json.dumps(out))


def write(spec_path, out_path, adapter=None):
    """Builds a timeline from a JSON spec: {name, rate, dropFrame?, start, clips:[{name, url, sourceIn, duration}|{gap: n}], markers:[{frame, name, color}]}."""
    with open(spec_path) as f:
        spec = json.load(f)
    rate = spec["rate"]
    tl = otio.schema.Timeline(name=spec["name"])
    tl.global_start_time = otio.opentime.RationalTime(spec.get("start", 0), rate)
    track = otio.schema.Track(name="V1", kind=otio.schema.TrackKind.Video)
    tl.tracks.append(track)
    for c in spec["clips"]:
        if "gap" in c:
            track.append(otio.schema.Gap(source_range=otio.opentime.TimeRange(
                otio.opentime.RationalTime(0, rate), otio.opentime.RationalTime(c["gap"], rate))))
            continue
        ref = otio.schema.ExternalReference(target_url=c["url"], available_range=otio.opentime.TimeRange(
            otio.opentime.RationalTime(0, rate), otio.opentime.RationalTime(c["sourceIn"] + c["duration"] + 100, rate)))
        clip = otio.schema.Clip(name=c["name"], media_reference=ref, source_range=otio.opentime.TimeRange(
            otio.opentime.RationalTime(c["sourceIn"], rate), otio.opentime.RationalTime(c["duration"], rate)))
        track.append(clip)
    for m in spec.get("markers", []):
        tl.tracks.markers.append(otio.schema.Marker(name=m["name"], color=m.get("color", "RED"), marked_range=otio.opentime.TimeRange(
            otio.opentime.RationalTime(m["frame"], rate), otio.opentime.RationalTime(0, rate))))
    kwargs = {}
    if adapter == "cmx_3600" and spec.get("dropFrame"):
        kwargs["rate"] = rate
    otio.adapters.write_to_file(tl, out_path, adapter_name=adapter, **kwargs) if adapter else otio.adapters.write_to_file(tl, out_path)


def parse_rate(text):
    """'30000/1001' or '25' -> float, exact enough for OTIO's SMPTE rate check."""
    if "/" in text:
        num, den = text.split("/")
        return float(num) / float(den)
    return float(text)


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "read":
        adapter = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] != "-" else None
        read(sys.argv[2], adapter, parse_rate(sys.argv[4]) if len(sys.argv) > 4 else None)
    elif cmd == "convert":
        # Re-save an editor file as .otio JSON: our OTIO reader then faces what OTIO itself makes of it.
        kwargs = {"rate": parse_rate(sys.argv[4])} if len(sys.argv) > 4 else {}
        result = otio.adapters.read_from_file(sys.argv[2], **kwargs)
        otio.adapters.write_to_file(result, sys.argv[3], adapter_name="otio_json")
    elif cmd == "write":
        write(sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else None)
    else:
        sys.exit("usage: otio-judge.py read <file> [adapter] | write <spec.json> <out> [adapter]")
