"""Runs plugins/resolve/V2M Studio (Python).py against the fake Resolve; prints what the fake holds.

Usage: python3 run_script.py <script> <fake_resolve.py> <spec.json>
The script is loaded the way Resolve would run it, with V2M_LIBRARY set so it does not start
on its own, then its run() is called with the fake; the last stdout line is one JSON object.
"""
import importlib.util
import json
import runpy
import sys

script, fake_path, spec_path = sys.argv[1:4]
with open(spec_path, encoding="utf-8") as f:
    spec = json.load(f)
v2m = runpy.run_path(script, init_globals={"V2M_LIBRARY": True, "V2M_CONFIG": spec["config"]}, run_name="v2m_studio")
loader = importlib.util.spec_from_file_location("fake_resolve", fake_path)
fake = importlib.util.module_from_spec(loader)
loader.loader.exec_module(fake)

resolve, state, start = fake.new(spec["timeline"])
said = []
out = {"ok": False, "start": start, "said": said}
try:
    out["result"] = v2m["run"](resolve, said.append)
    out["ok"] = True
except v2m["V2MError"] as e:
    out["error"] = str(e)
    out["code"] = e.code
out["markers"] = [dict(frame=f, **m) for f, m in sorted(state.markers.items())]
out["audioTracks"] = [{"clips": t["clips"]} for t in state.audio_tracks]
out["imported"] = state.imported
out["exports"] = state.exports
out["apiReads"] = state.api_reads
print(json.dumps(out))
