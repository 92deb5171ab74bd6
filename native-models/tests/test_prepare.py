"""Reading the app's analysis output for training data."""
import base64
import json

import numpy as np
import pytest

from v2m_models.prepare import read_analysis, read_rhythm


def analysis(tmp_path, inline: bool):
    hist = np.arange(3 * 12, dtype=np.float32).reshape(3, 12) / 100
    j = {"version": 1, "durationSec": 2.9, "seconds": 3, "sceneVector": [1, 0, 1], "visualBeatVector": [0.0, 0.5, 0.25]}
    if inline:
        ref = {"dtype": "float32", "length": hist.size, "base64": base64.b64encode(hist.tobytes()).decode()}
    else:
        pad = np.zeros(2, np.float64).tobytes()  # another array before ours in the sidecar
        (tmp_path / "a.bin").write_bytes(pad + hist.tobytes())
        ref = {"dtype": "float32", "length": hist.size, "offset": len(pad), "byteLength": hist.nbytes}
        j["binaryFile"] = "a.bin"
    j["colourHistograms"] = {"dim": 12, "rows": 3, "times": [0, 1, 2], "recipe": "rgb-uv", "data": ref}
    p = tmp_path / "a.json"
    p.write_text(json.dumps(j))
    return p, hist


@pytest.mark.parametrize("inline", [True, False])
def test_read_analysis(tmp_path, inline):
    p, hist = analysis(tmp_path, inline)
    a = read_analysis(p)
    assert a["scene_cut"].tolist() == [1, 0, 1] and a["scene_cut"].dtype == np.int64
    assert a["pseudo_beat"].tolist() == [0.0, 0.5, 0.25]
    assert np.array_equal(a["colour"], hist)


def test_read_analysis_refuses_other_json(tmp_path):
    p = tmp_path / "x.json"
    p.write_text(json.dumps({"hello": 1}))
    with pytest.raises(ValueError, match="v2m analyze"):
        read_analysis(p)


def test_read_rhythm():
    assert read_rhythm({"odfLR": [[0.0], [1.5], [0.2]]}).tolist() == [0.0, 1.5, np.float32(0.2)]
    with pytest.raises(ValueError, match="odfLR"):
        read_rhythm({"onsets": []})


# ----------------------------------------------------------------------------- cutting and sources

from pathlib import Path  # noqa: E402
import subprocess  # noqa: E402
import wave  # noqa: E402

from v2m_models.data import DataError, ShardDataset  # noqa: E402
from v2m_models.prepare import (Options, default_ffmpeg, find_sources, odf_segments, prepare, read_rhythm as _rr,  # noqa: E402
                                segments, silent_stretches)

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "native-models" / "fixtures" / "tiny"


def test_silent_stretches_longer_than_the_limit():
    sr = 1000
    x = np.full(20 * sr, 0.5, np.float32)
    x[5 * sr: 9 * sr] = 0       # 4 s: dropped
    x[12 * sr: 14 * sr] = 1e-5  # 2 s below -60 dBFS: kept, too short
    x[17 * sr:] = 0             # 3 s exactly at the end: not longer than 3 s
    assert silent_stretches(x, sr) == [(5.0, 9.0)]
    assert silent_stretches(x, sr, min_seconds=1.5) == [(5.0, 9.0), (12.0, 14.0), (17.0, 20.0)]


def test_segments_window_each_stretch():
    assert segments(75, [], length=30, hop=10) == [(0, 30), (10, 40), (20, 50), (30, 60), (40, 70)]
    # a silence splits the windows; the short remainder becomes one clip, a 3 s one is dropped
    assert segments(60.5, [(32.2, 40.0)], length=30, hop=10) == [(0, 30), (40, 60)]
    assert segments(50, [(3.0, 10.0), (22.0, 26.0)], length=30, hop=10) == [(10, 22), (26, 50)]
    assert segments(4, [], length=30, hop=10) == []
    with pytest.raises(ValueError, match="at least 1"):
        segments(10, [], length=0)


def test_pairs_csv(tmp_path):
    for n in ("a.mp4", "a.wav", "b.mp4"):
        (tmp_path / n).write_bytes(b"")
    (tmp_path / "p.csv").write_text("video,music,class_label\n# comment\na.mp4,a.wav,1\nb.mp4,a.wav\n")
    s = find_sources(pairs=tmp_path / "p.csv")
    assert [(x.video.name, x.music.name, x.class_label) for x in s] == [("a.mp4", "a.wav", 1), ("b.mp4", "a.wav", 2)]
    (tmp_path / "q.csv").write_text("a.mp4,missing.wav\n")
    with pytest.raises(DataError, match="q.csv:1: file not found"):
        find_sources(pairs=tmp_path / "q.csv")
    with pytest.raises(DataError, match="either --videos"):
        find_sources()
    assert [x.video.name for x in find_sources(videos=tmp_path)] == ["a.mp4", "b.mp4"]


def make_music_video(ffmpeg, path, seconds, silent):
    """testsrc picture; a tone plus pink noise with a silent stretch `silent` = (from, to)."""
    a, b = silent
    subprocess.run([ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i", f"testsrc=size=96x64:rate=8:duration={seconds}",
                    "-f", "lavfi", "-i", f"sine=frequency=330:beep_factor=4:duration={seconds}",
                    "-f", "lavfi", "-i", f"anoisesrc=color=pink:amplitude=0.2:duration={seconds}",
                    "-filter_complex", f"[1:a][2:a]amix=inputs=2,volume='if(between(t,{a},{b}),0,1)':eval=frame,"
                    "aformat=channel_layouts=stereo[a]", "-map", "0:v", "-map", "[a]", "-c:v", "libx264",
                    "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", str(path)], check=True, timeout=60)


def test_prepare_music_videos_end_to_end(tmp_path):
    ffmpeg = default_ffmpeg()
    (tmp_path / "mv").mkdir()
    make_music_video(ffmpeg, tmp_path / "mv" / "gap.mp4", 20, (8, 12))    # 4 s of silence: cut out
    make_music_video(ffmpeg, tmp_path / "mv" / "short.mp4", 10, (4, 6))   # 2 s: kept
    subprocess.run([ffmpeg, "-v", "error", "-f", "lavfi", "-i", "testsrc=size=64x64:rate=4:duration=6", "-c:v",
                    "libx264", "-preset", "ultrafast", str(tmp_path / "mv" / "mute.mp4")], check=True, timeout=60)
    o = Options(config=ROOT / "native-models" / "configs" / "tiny.json", ckpt=TINY / "tiny_model.ckpt",
                clip=TINY / "tiny_clip.pt", v2m=ROOT / "bin" / "v2m.js", node="node", ffmpeg=ffmpeg, segment=30, hop=2,
                min_segment=5, silence_db=-60, max_silence=3, latents="pre-encoded")
    logs = []
    index = prepare(find_sources(videos=tmp_path / "mv"), tmp_path / "out", o, workers=2, shard_size=3, log=logs.append)
    assert any("6 s" in m for m in logs), "30 s clips are cut to the tiny config's 6 s"
    # a video without audio is reported and listed, and the others still make it
    assert [f["video"].split("/")[-1] for f in index["failures"]] == ["mute.mp4"]
    assert "no audio track" in index["failures"][0]["error"]
    spans = [(s["video"].split("/")[-1], s["start"], s["seconds"]) for s in index["sources"]]
    assert spans == [("gap.mp4", 0, 6), ("gap.mp4", 2, 6), ("gap.mp4", 12, 6), ("gap.mp4", 14, 6),
                     ("short.mp4", 0, 6), ("short.mp4", 2, 6), ("short.mp4", 4, 6)], spans
    assert [s["count"] for s in index["shards"]] == [3, 3, 1]
    ds = ShardDataset(tmp_path / "out")
    e = ds.example(2)
    assert e.clip.shape == (6, 16) and e.latents.shape == (8, 64) and e.scene_cut.shape == (6,)
    assert np.isfinite(e.latents).all() and e.odf.shape == (6,) and e.odf.max() > 0
    # the per-clip ODF is what `v2m rhythm` computes on that clip alone
    pcm = subprocess.run([ffmpeg, "-v", "error", "-i", str(tmp_path / "mv" / "gap.mp4"), "-map", "0:a:0", "-af",
                          "aresample=44100:resampler=soxr", "-ac", "2", "-f", "f32le", "-"], capture_output=True,
                         check=True).stdout
    mono = np.frombuffer(pcm, "<f4").reshape(-1, 2).mean(axis=1)
    clip = (mono[12 * 44100: 18 * 44100] * 32767).round().clip(-32768, 32767).astype("<i2")
    with wave.open(str(tmp_path / "seg.wav"), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(44100), w.writeframes(clip.tobytes())
    cli = subprocess.run(["node", str(ROOT / "bin" / "v2m.js"), "rhythm", str(tmp_path / "seg.wav"), "--json", "--fast"],
                         capture_output=True, text=True, check=True, cwd=ROOT).stdout
    ours = odf_segments("node", clip.astype(np.float32) / 32767, [(0, 6)])[0]
    assert np.allclose(ours, _rr(__import__("json").loads(cli)), atol=1e-4)
