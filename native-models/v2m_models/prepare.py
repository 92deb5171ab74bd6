"""Training data from (video, music) pairs, with the app's own analysis so that training and
inference see identical features.

    PYTHONPATH=native-models /usr/bin/python3 -m v2m_models.prepare \\
        --pairs pairs.csv --out features/ --config model_config_odf.json \\
        --ckpt model_odf.ckpt --clip ViT-B-32.pt [--v2m bin/v2m.js] [--ffmpeg ffmpeg]

pairs.csv: `video,music[,class_label]` per line (class_label defaults to 2). Per pair it writes
`<stem>.npz` with
  clip (T,512)       CLIP ViT-B/32 image embeddings, one frame per second (ffmpeg fps=1, bicubic
                     short-side resize + centre crop as in the pack's recipe, then the CLIP tower)
  scene_cut (T,)     `sceneVector` of `v2m analyze --json`
  pseudo_beat (T,)   `visualBeatVector` of `v2m analyze --json`
  colour (T,3072)    `colourHistograms` of `v2m analyze --json` (when present)
  odf (T,)           `odfLR` of `v2m rhythm --json --fast` on the music (SIGNALS.md §2.10)
  latents (64,645)   one sample of the frozen VAE encoder's posterior for the first 30 s of music
"""
from __future__ import annotations

import argparse
import base64
import csv
import json
import subprocess
import tempfile
from pathlib import Path
from typing import Dict, Optional

import numpy as np
import torch

from .checkpoint import load_training_state
from .clip_vision import CLIP_MEAN, CLIP_STD, load_clip_tower
from .config import ModelSpec, load_model_config

REPO = Path(__file__).resolve().parents[2]


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


def _run(cmd, **kw) -> subprocess.CompletedProcess:
    p = subprocess.run(cmd, capture_output=True, **kw)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed: {p.stderr[-1500:]!r}")
    return p


def clip_frames(ffmpeg: str, video: Path, size: int, seconds: int) -> np.ndarray:
    """(T,3,size,size) float32, normalised with the CLIP mean/std."""
    vf = f"fps=1,scale={size}:{size}:force_original_aspect_ratio=increase:flags=bicubic,crop={size}:{size}"
    raw = _run([ffmpeg, "-v", "error", "-i", str(video), "-t", str(seconds), "-vf", vf, "-f", "rawvideo",
                "-pix_fmt", "rgb24", "-"]).stdout
    frames = np.frombuffer(raw, np.uint8).reshape(-1, size, size, 3).astype(np.float32) / 255.0
    frames = (frames - np.array(CLIP_MEAN, np.float32)) / np.array(CLIP_STD, np.float32)
    return np.ascontiguousarray(frames.transpose(0, 3, 1, 2))


def music_audio(ffmpeg: str, music: Path, spec: ModelSpec) -> np.ndarray:
    raw = _run([ffmpeg, "-v", "error", "-i", str(music), "-ac", str(spec.audio_channels), "-ar", str(spec.sample_rate),
                "-t", str(spec.sample_size / spec.sample_rate), "-f", "f32le", "-"]).stdout
    a = np.frombuffer(raw, "<f4").reshape(-1, spec.audio_channels).T
    out = np.zeros((spec.audio_channels, spec.sample_size), np.float32)
    out[:, : min(a.shape[1], spec.sample_size)] = a[:, : spec.sample_size]
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m v2m_models.prepare", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--config", type=Path, required=True)
    ap.add_argument("--ckpt", type=Path, required=True, help="checkpoint holding the VAE (model_odf.ckpt)")
    ap.add_argument("--clip", type=Path, required=True)
    ap.add_argument("--v2m", type=Path, default=REPO / "bin" / "v2m.js")
    ap.add_argument("--node", default="node")
    ap.add_argument("--ffmpeg", default="ffmpeg")
    a = ap.parse_args(argv)
    spec = load_model_config(a.config)
    state, _ = load_training_state(spec, a.ckpt)
    pre = state.diffusion.pretransform.eval()
    clip = load_clip_tower(a.clip, spec.clip)
    a.out.mkdir(parents=True, exist_ok=True)
    gen = torch.Generator().manual_seed(0)
    with open(a.pairs) as f:
        rows = [r for r in csv.reader(f) if r and not r[0].startswith("#")]
    for row in rows:
        video, music = Path(row[0]), Path(row[1])
        cls = int(row[2]) if len(row) > 2 else 2
        with tempfile.TemporaryDirectory() as tmp:
            aj = Path(tmp) / "analysis.json"
            _run([a.node, str(a.v2m), "analyze", str(video), "--json", str(aj), "--no-filmstrip"])
            feats = read_analysis(aj)
        odf = read_rhythm(json.loads(_run([a.node, str(a.v2m), "rhythm", str(music), "--json", "--fast"]).stdout))
        with torch.no_grad():
            px = torch.from_numpy(clip_frames(a.ffmpeg, video, spec.clip.image_size, spec.max_seconds))
            emb = clip(px).numpy()
            audio = torch.from_numpy(music_audio(a.ffmpeg, music, spec))[None]
            torch.manual_seed(int(torch.randint(0, 2**31 - 1, (1,), generator=gen)))
            latents = pre.encode(audio, sample=True)[0].numpy()
        np.savez(a.out / f"{video.stem}.npz", clip=emb, scene_cut=feats["scene_cut"], pseudo_beat=feats["pseudo_beat"],
                 odf=odf, latents=latents, class_label=np.int64(cls), seconds_start=np.float32(0),
                 seconds_total=np.float32(min(float(feats["duration"]), spec.max_seconds)),
                 **({"colour": feats["colour"]} if "colour" in feats else {}))
        print(f"{video.name}: {len(emb)} s of features, latents {latents.shape}")


if __name__ == "__main__":
    main()
