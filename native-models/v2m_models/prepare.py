"""Training data from music videos (the music is the video's own audio, as in SymMV and BGM909) or
from (video, music) pairs, with the app's own analysis so that training and inference see the same
features; written as shards + index.json (see v2m_models.data).

    /usr/bin/python3 native-models/prepare.py --videos clips/ --out features/ --config odf \\
        --ckpt model_odf.ckpt --clip ViT-B-32.pt [--workers 8] [--latents pre-encoded|audio]
    /usr/bin/python3 native-models/prepare.py --pairs pairs.csv ...

pairs.csv: `video,music[,class_label]` per line (class_label defaults to --class-label, 2); relative
paths are taken from the CSV's folder. Each source is cut as the paper cut its data: silent stretches
longer than --max-silence (3 s, below --silence-db) are dropped, and what remains is windowed into
--segment (30 s; at most the config's length) clips every --hop (10 s); a stretch shorter than one
window gives one shorter clip if it is at least --min-segment long. Clips start and end on whole
seconds (the features are per second). Per clip:
  clip (T,512)       CLIP image embeddings, one frame per second (ffmpeg fps=1, bicubic short-side
                     resize + centre crop as in the pack's recipe, then the CLIP tower)
  scene_cut (T,)     `sceneVector` of `v2m analyze --json` (the whole video, then cut)
  pseudo_beat (T,)   `visualBeatVector` of `v2m analyze --json`
  colour (T,3072)    `colourHistograms` of `v2m analyze --json` (when present)
  odf (T,)           ODF_LR of the clip's own music (SIGNALS.md §2.10, the app's rhythm analysis run on
                     the clip alone, as the paper computed it per 30 s clip)
  latents (64,645)   one sample of the frozen VAE encoder's posterior (--latents pre-encoded), or the
  or audio           clip's audio for the trainer to encode with fresh draws (--latents audio)
Sources run in parallel worker processes (each loads the CLIP tower and the VAE once); shards are
written in source order by the main process, so the output does not depend on --workers.
"""
from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import json
import multiprocessing as mp
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch

from .checkpoint import load_training_state
from .clip_vision import CLIP_MEAN, CLIP_STD, load_clip_tower
from .config import ModelSpec, load_model_config
from .data import DataError, Example, ShardWriter, atomic_write_text, spec_dims

REPO = Path(__file__).resolve().parents[2]
ODF_RUNNER = Path(__file__).with_name("odf_segments.mjs")
ODF_RATE = 44100
VIDEO_EXTS = {".mp4", ".mkv", ".mov", ".webm", ".m4v", ".avi"}


# ----------------------------------------------------------------------------- the app's JSON

def _binary(ref: dict, base: Path, sidecar: Optional[str]) -> np.ndarray:
    dtype = np.dtype({"float32": "<f4", "float64": "<f8", "uint8": "u1"}[ref["dtype"]])
    if "base64" in ref:
        raw = base64.b64decode(ref["base64"])
    else:
        if not sidecar:
            raise ValueError("analysis JSON refers to a binary sidecar but names none (binaryFile)")
        with open(base / sidecar, "rb") as f:
            f.seek(ref["offset"])
            raw = f.read(ref["byteLength"])
    arr = np.frombuffer(raw, dtype=dtype)
    if arr.size != ref["length"]:
        raise ValueError(f"binary array has {arr.size} values, expected {ref['length']}")
    return arr


def read_analysis(path: Path) -> Dict[str, np.ndarray]:
    """Per-second arrays from `v2m analyze --json out.json` (sidecar `.bin` or inline base64)."""
    j = json.loads(Path(path).read_text())
    for k in ("sceneVector", "visualBeatVector", "seconds"):
        if k not in j:
            raise ValueError(f"{path}: not a `v2m analyze --json` file (no {k})")
    out = {"scene_cut": np.asarray(j["sceneVector"], np.int64), "pseudo_beat": np.asarray(j["visualBeatVector"], np.float32),
           "duration": np.float32(j.get("durationSec", j["seconds"]))}
    ch = j.get("colourHistograms")
    if ch:
        data = _binary(ch["data"], Path(path).parent, j.get("binaryFile")).astype(np.float32)
        out["colour"] = data.reshape(ch["rows"], ch["dim"])
    return out


def read_rhythm(j: dict) -> np.ndarray:
    if "odfLR" not in j:
        raise ValueError("not a `v2m rhythm --json` result (no odfLR)")
    odf = np.asarray(j["odfLR"], np.float32)
    return odf.reshape(len(odf), -1)[:, 0]


# ----------------------------------------------------------------------------- sources and cutting

@dataclass
class Source:
    video: Path
    music: Path          # the video itself for music videos
    class_label: int = 2


def find_sources(videos: Optional[Path] = None, pairs: Optional[Path] = None, class_label: int = 2) -> List[Source]:
    if (videos is None) == (pairs is None):
        raise DataError("give either --videos <folder of music videos> or --pairs <csv>")
    if videos is not None:
        if not Path(videos).is_dir():
            raise DataError(f"--videos {videos}: not a folder")
        files = sorted(p for p in Path(videos).rglob("*") if p.suffix.lower() in VIDEO_EXTS and p.is_file())
        if not files:
            raise DataError(f"{videos}: no video files ({', '.join(sorted(VIDEO_EXTS))})")
        return [Source(f, f, class_label) for f in files]
    pairs = Path(pairs)
    if not pairs.exists():
        raise DataError(f"pairs file not found: {pairs}")
    out = []
    with open(pairs, newline="") as f:
        for n, row in enumerate(csv.reader(f), 1):
            row = [c.strip() for c in row]
            if not row or not row[0] or row[0].startswith("#") or (n == 1 and row[0].lower() == "video"):
                continue
            if len(row) < 2 or not row[1]:
                raise DataError(f"{pairs}:{n}: expected `video,music[,class_label]`, got {','.join(row)!r}")
            try:
                cls = int(row[2]) if len(row) > 2 and row[2] else class_label
            except ValueError:
                raise DataError(f"{pairs}:{n}: class_label must be an integer, got {row[2]!r}") from None
            v, m = (p if p.is_absolute() else pairs.parent / p for p in (Path(row[0]), Path(row[1])))
            missing = [str(p) for p in (v, m) if not p.exists()]
            if missing:
                raise DataError(f"{pairs}:{n}: file not found: {', '.join(missing)}")
            out.append(Source(v, m, cls))
    if not out:
        raise DataError(f"{pairs}: no pairs")
    return out


def silent_stretches(mono: np.ndarray, sample_rate: int, *, threshold_db: float = -60.0, min_seconds: float = 3.0,
                     frame_seconds: float = 0.1) -> List[Tuple[float, float]]:
    """(start, end) seconds of the runs of frames whose RMS is below threshold_db (dBFS) and that last
    longer than min_seconds."""
    hop = max(int(round(frame_seconds * sample_rate)), 1)
    n = len(mono) // hop
    if n == 0:
        return []
    frames = mono[: n * hop].astype(np.float64).reshape(n, hop)
    rms = np.sqrt((frames ** 2).mean(axis=1))
    quiet = 20 * np.log10(np.maximum(rms, 1e-12)) < threshold_db
    out, i = [], 0
    while i < n:
        if quiet[i]:
            j = i
            while j < n and quiet[j]:
                j += 1
            end = len(mono) / sample_rate if j == n else j * hop / sample_rate
            if end - i * hop / sample_rate > min_seconds:
                out.append((i * hop / sample_rate, end))
            i = j
        else:
            i += 1
    return out


def segments(duration: float, silences: Sequence[Tuple[float, float]], *, length: int = 30, hop: int = 10,
             min_length: int = 5) -> List[Tuple[int, int]]:
    """Whole-second (start, end) clips: windows of `length` every `hop` over each stretch between the
    silences; a stretch shorter than one window gives itself once, if at least min_length long."""
    if length < 1 or hop < 1:
        raise ValueError("segment length and hop must be at least 1 s")
    edges, t = [], 0.0
    for a, b in sorted(silences):
        edges.append((t, a))
        t = max(t, b)
    edges.append((t, duration))
    out = []
    for a, b in edges:
        a, b = int(np.ceil(a - 1e-6)), int(np.floor(b + 1e-6))
        if b - a >= length:
            out.extend((s, s + length) for s in range(a, b - length + 1, hop))
        elif b - a >= max(min_length, 1):
            out.append((a, b))
    return out


# ----------------------------------------------------------------------------- decoding

def default_ffmpeg() -> str:
    """$V2M_FFMPEG, ffmpeg on PATH, or the binary the app itself ships (@ffmpeg-installer)."""
    if os.environ.get("V2M_FFMPEG"):
        return os.environ["V2M_FFMPEG"]
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        p = subprocess.run(["node", "-e", "console.log(require('@ffmpeg-installer/ffmpeg').path)"], cwd=REPO,
                           capture_output=True, text=True, timeout=60)
        if p.returncode == 0 and p.stdout.strip():
            return p.stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        pass
    return "ffmpeg"


def _run(cmd, **kw) -> subprocess.CompletedProcess:
    try:
        p = subprocess.run(cmd, capture_output=True, **kw)
    except FileNotFoundError:
        raise RuntimeError(f"{cmd[0]} not found (set --ffmpeg / --node)") from None
    if p.returncode != 0:
        err = p.stderr.decode(errors="replace") if isinstance(p.stderr, bytes) else p.stderr
        raise RuntimeError(f"{' '.join(map(str, cmd[:6]))} … failed: {err[-1500:]}")
    return p


def clip_frames(ffmpeg: str, video: Path, size: int, seconds: Optional[int] = None) -> np.ndarray:
    """(T,3,size,size) float32 frames at 1 fps, normalised with the CLIP mean/std."""
    vf = f"fps=1,scale={size}:{size}:force_original_aspect_ratio=increase:flags=bicubic,crop={size}:{size}"
    limit = ["-t", str(seconds)] if seconds else []
    raw = _run([ffmpeg, "-v", "error", "-i", str(video), *limit, "-vf", vf, "-f", "rawvideo",
                "-pix_fmt", "rgb24", "-"]).stdout
    frames = np.frombuffer(raw, np.uint8).reshape(-1, size, size, 3).astype(np.float32) / 255.0
    frames = (frames - np.array(CLIP_MEAN, np.float32)) / np.array(CLIP_STD, np.float32)
    return np.ascontiguousarray(frames.transpose(0, 3, 1, 2))


def decode_audio(ffmpeg: str, path: Path, sample_rate: int, channels: int) -> np.ndarray:
    """(channels, samples) float32 of the first audio stream, soxr-resampled like the app's decoder."""
    try:
        raw = _run([ffmpeg, "-v", "error", "-i", str(path), "-map", "0:a:0", "-vn", "-af",
                    f"aresample={sample_rate}:resampler=soxr", "-ac", str(channels), "-f", "f32le", "-"]).stdout
    except RuntimeError as e:
        if "matches no streams" in str(e):
            raise RuntimeError(f"{path}: no audio track (a music video's own audio is its music; "
                               "give silent videos a music file with --pairs)") from None
        raise
    a = np.frombuffer(raw, "<f4")
    if a.size == 0:
        raise RuntimeError(f"{path}: no audio (a music video's own audio is its music)")
    return np.ascontiguousarray(a.reshape(-1, channels).T)


def music_audio(audio: np.ndarray, start: int, spec: ModelSpec) -> np.ndarray:
    """The VAE's input for a clip starting at sample `start`: spec.sample_size samples, zero-padded."""
    out = np.zeros((spec.audio_channels, spec.sample_size), np.float32)
    part = audio[:, start: start + spec.sample_size]
    out[:, : part.shape[1]] = part
    return out


# ----------------------------------------------------------------------------- one source (worker)

@dataclass
class Options:
    config: Path
    ckpt: Path
    clip: Path
    v2m: Path
    node: str
    ffmpeg: str
    segment: int
    hop: int
    min_segment: int
    silence_db: float
    max_silence: float
    latents: str
    threads: int = 1


_W: dict = {}


def _init_worker(o: Options):
    torch.set_num_threads(max(o.threads, 1))
    spec = load_model_config(o.config)
    state, _ = load_training_state(spec, o.ckpt)
    _W.update(opts=o, spec=spec, vae=state.diffusion.pretransform.eval(), clip=load_clip_tower(o.clip, spec.clip).eval())


def odf_segments(node: str, mono44k: np.ndarray, spans: Sequence[Tuple[int, int]]) -> List[np.ndarray]:
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "mono.f32"
        np.ascontiguousarray(mono44k, "<f4").tofile(f)
        req = Path(tmp) / "request.json"
        req.write_text(json.dumps({"file": str(f), "sampleRate": ODF_RATE,
                                   "segments": [[a * ODF_RATE, (b - a) * ODF_RATE] for a, b in spans]}))
        p = _run([node, str(ODF_RUNNER), str(req)], cwd=str(ODF_RUNNER.parent), text=True)
    return [np.asarray(v, np.float32) for v in json.loads(p.stdout)["odf"]]


def _seed(path: Path, start: int) -> int:
    return int.from_bytes(hashlib.sha256(f"{path.name}:{start}".encode()).digest()[:4], "little")


def process_source(src: Source) -> Tuple[List[Tuple[Example, dict]], List[str]]:
    """Every clip of one source; runs in a worker. Returns (clips, notes)."""
    o, spec, vae, clip = _W["opts"], _W["spec"], _W["vae"], _W["clip"]
    audio = decode_audio(o.ffmpeg, src.music, spec.sample_rate, spec.audio_channels)
    mono = audio.mean(axis=0)
    mono44 = mono if spec.sample_rate == ODF_RATE else decode_audio(o.ffmpeg, src.music, ODF_RATE, 1)[0]
    duration = audio.shape[1] / spec.sample_rate
    with tempfile.TemporaryDirectory() as tmp:
        aj = Path(tmp) / "analysis.json"
        _run([o.node, str(o.v2m), "analyze", str(src.video), "--json", str(aj), "--no-filmstrip"], cwd=str(REPO))
        feats = read_analysis(aj)
    duration = min(duration, float(feats["duration"]))
    silences = silent_stretches(mono, spec.sample_rate, threshold_db=o.silence_db, min_seconds=o.max_silence)
    spans = segments(duration, silences, length=o.segment, hop=o.hop, min_length=o.min_segment)
    notes = [f"silent {a:.1f}-{b:.1f} s skipped" for a, b in silences]
    if not spans:
        return [], notes + [f"no clip of at least {o.min_segment} s outside silences ({duration:.1f} s long)"]
    with torch.no_grad():
        px = torch.from_numpy(clip_frames(o.ffmpeg, src.video, spec.clip.image_size))
        emb = torch.cat([clip(px[i:i + 32]) for i in range(0, len(px), 32)]).numpy() if len(px) else np.zeros((0, spec.clip.output_dim), np.float32)
    spans = [(a, b) for a, b in spans if b * ODF_RATE <= len(mono44)]
    odfs = odf_segments(o.node, mono44, spans) if spans else []
    out = []
    for (a, b), odf in zip(spans, odfs):
        t = b - a
        rows = [emb[a:b], feats["scene_cut"][a:b], feats["pseudo_beat"][a:b]]
        if min(len(r) for r in rows) < t:
            notes.append(f"clip {a}-{b} s: the video has fewer per-second features than its audio; skipped")
            continue
        e = Example(clip=rows[0], scene_cut=rows[1], pseudo_beat=rows[2], odf=odf[:t], class_label=src.class_label,
                    seconds_start=0.0, seconds_total=float(t),
                    colour=feats["colour"][a:b] if "colour" in feats else None)
        seg_audio = music_audio(audio, a * spec.sample_rate, spec)
        if o.latents == "audio":
            e.audio = seg_audio
        else:
            g = torch.Generator().manual_seed(_seed(src.video, a))
            noise = torch.randn((1, spec.io_channels, spec.latent_length), generator=g)
            with torch.no_grad():
                e.latents = vae.encode(torch.from_numpy(seg_audio)[None], sample=True, noise=noise)[0].numpy()
        out.append((e, {"video": str(src.video), "music": str(src.music), "start": a, "seconds": t}))
    return out, notes


def _safe(src: Source):
    t0 = time.time()
    try:
        clips, notes = process_source(src)
        return src, clips, notes, None, time.time() - t0
    except Exception as e:  # one bad file must not stop a 19k-clip job; reported and listed in the index
        return src, [], [], f"{type(e).__name__}: {e}", time.time() - t0


# ----------------------------------------------------------------------------- main

def prepare(sources: Sequence[Source], out: Path, o: Options, *, workers: int = 1, shard_size: int = 128,
            log=print) -> dict:
    spec = load_model_config(o.config)
    if o.segment > spec.max_seconds:
        log(f"clips of {o.segment} s are longer than the config's {spec.max_seconds} s: using {spec.max_seconds} s")
        o.segment = spec.max_seconds
    writer = ShardWriter(out, max_seconds=o.segment, dims=spec_dims(spec), shard_size=shard_size)
    failures = []
    if workers <= 1:
        _init_worker(o)
        results = map(_safe, sources)
        pool = None
    else:
        # spawn: forked copies of a process that already ran torch can deadlock in OpenMP
        pool = mp.get_context("spawn").Pool(workers, initializer=_init_worker, initargs=(o,))
        results = pool.imap(_safe, sources)
    try:
        for src, clips, notes, err, secs in results:
            if err:
                failures.append({"video": str(src.video), "music": str(src.music), "error": err})
                log(f"{src.video.name}: FAILED ({err})")
                continue
            for e, meta in clips:
                writer.add(e, meta)
            log(f"{src.video.name}: {len(clips)} clip(s) in {secs:.1f} s" + (f"; {'; '.join(notes)}" if notes else ""))
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    index = writer.close()
    if failures:
        index["failures"] = failures
        atomic_write_text(Path(out) / "index.json", json.dumps(index, indent=1))
    return index


def main(argv=None):
    from .train import resolve_config

    ap = argparse.ArgumentParser(prog="prepare.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--videos", type=Path, help="folder of music videos (searched recursively)")
    src.add_argument("--pairs", type=Path, help="CSV of video,music[,class_label]")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--config", required=True, help="model config: a path, or 'odf' / 'tiny'")
    ap.add_argument("--ckpt", type=Path, required=True, help="checkpoint holding the VAE (model_odf.ckpt)")
    ap.add_argument("--clip", type=Path, required=True, help="CLIP ViT-B/32 weights")
    ap.add_argument("--latents", choices=["pre-encoded", "audio"], default="pre-encoded",
                    help="store VAE latents, or the audio for the trainer to encode on the fly")
    ap.add_argument("--segment", type=int, default=30, help="clip length, s")
    ap.add_argument("--hop", type=int, default=10, help="clip hop, s")
    ap.add_argument("--min-segment", type=int, default=5, help="shortest clip kept, s")
    ap.add_argument("--max-silence", type=float, default=3.0, help="drop silent stretches longer than this, s")
    ap.add_argument("--silence-db", type=float, default=-60.0, help="RMS (dBFS, 100 ms frames) below which is silence")
    ap.add_argument("--class-label", type=int, default=2)
    ap.add_argument("--workers", type=int, default=max(1, min(8, (os.cpu_count() or 2) // 2)))
    ap.add_argument("--threads-per-worker", type=int, default=1)
    ap.add_argument("--shard-size", type=int, default=128, help="clips per shard file")
    ap.add_argument("--v2m", type=Path, default=REPO / "bin" / "v2m.js")
    ap.add_argument("--node", default="node")
    ap.add_argument("--ffmpeg", default=None, help="default: $V2M_FFMPEG, PATH, or the app's bundled ffmpeg")
    a = ap.parse_args(argv)
    try:
        sources = find_sources(a.videos, a.pairs, a.class_label)
        o = Options(config=resolve_config(a.config), ckpt=a.ckpt, clip=a.clip, v2m=a.v2m, node=a.node,
                    ffmpeg=a.ffmpeg or default_ffmpeg(), segment=a.segment, hop=a.hop, min_segment=a.min_segment,
                    silence_db=a.silence_db, max_silence=a.max_silence, latents=a.latents, threads=a.threads_per_worker)
        load_model_config(o.config)  # a bad config fails here, not in every worker
        index = prepare(sources, a.out, o, workers=a.workers, shard_size=a.shard_size)
    except (DataError, ValueError) as e:
        print(f"prepare: {e}", file=sys.stderr)
        raise SystemExit(2)
    print(f"{index['examples']} clips in {len(index['shards'])} shard(s) from {len(sources)} source(s) -> {a.out}"
          + (f"; {len(index['failures'])} failed (listed in index.json)" if index.get("failures") else ""))


if __name__ == "__main__":
    main()
