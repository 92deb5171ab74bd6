"""Model pack = four ONNX graphs (fp32 + fp16) + manifest.json."""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Dict, List, Optional

import numpy as np
import onnx
import torch

from .clip_vision import CLIP_MEAN, CLIP_STD, ClipImageTower
from .config import ModelSpec
from .diff_v2m import DiffV2M
from .dit import DiffusionTransformer
from .export_modules import DitGraph, RhythmPredictorGraph, VaeDecoderGraph
from .onnx_io import OPSET, convert_fp16, export_graph, io_description, save_model

PACK_FORMAT = "v2m-model-pack"
PACK_FORMAT_VERSION = 1
MODEL_NAMES = ("clip_image", "rhythm_predictor", "dit", "vae_decoder")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def example_inputs(spec: ModelSpec, batch: int = 2, seconds: Optional[int] = None, latent_length: int = 16,
                   seed: int = 0) -> Dict[str, Dict[str, np.ndarray]]:
    """Deterministic inputs for each graph (numpy, as they cross into ONNX)."""
    rng = np.random.default_rng(seed)
    s = seconds or spec.max_seconds
    clip_dim = spec.clip.output_dim
    mask = np.ones((batch, s), np.float32)
    for b in range(1, batch):
        mask[b, max(1, s - 2 * b):] = 0.0  # later items are shorter clips, zero-padded
    clip = (rng.standard_normal((batch, s, clip_dim)) * 0.5).astype(np.float32) * mask[..., None]
    scene = (rng.random((batch, s)) < 0.25).astype(np.int64) * mask.astype(np.int64)
    beat = (rng.random((batch, s)).astype(np.float32)) * mask
    cls = np.array([2] + [b % 3 for b in range(1, batch)], np.int64)
    out = {
        "clip_image": {"pixel_values": rng.standard_normal((batch, 3, spec.clip.image_size, spec.clip.image_size)).astype(np.float32)},
        "rhythm_predictor": {"clip_features": clip, "class_label": cls, "scene_cut": scene, "pseudo_beat": beat},
        "dit": {
            "x": rng.standard_normal((batch, spec.io_channels, latent_length)).astype(np.float32),
            "t": np.linspace(0.9, 0.1, batch).astype(np.float32),
            "clip_features": clip,
            "rhythm": (rng.standard_normal((batch, s)).astype(np.float32)) * mask,
            "feature_mask": mask,
            "seconds_start": np.zeros(batch, np.float32),
            "seconds_total": mask.sum(axis=1).astype(np.float32),
            "class_label": cls,
            "uncond": np.array([0.0] + [float(b % 2) for b in range(1, batch)], np.float32),
        },
        "vae_decoder": {"latents": rng.standard_normal((batch, spec.io_channels, latent_length)).astype(np.float32)},
    }
    if spec.colour_context == "color":
        cdim = int(spec.conditioner_of_type("color").config["dim"])
        out["dit"]["color"] = rng.random((batch, s, cdim)).astype(np.float32) * mask[..., None]
        out["dit"]["color_mask"] = mask
    return out


def graph_specs(spec: ModelSpec, diffusion: DiffV2M, clip: ClipImageTower, dit: DiffusionTransformer):
    """name → (module, input names, output names, dynamic axes)."""
    dit_inputs = ["x", "t", "clip_features", "rhythm", "feature_mask", "seconds_start", "seconds_total",
                  "class_label", "uncond"]
    dit_axes = {"x": {0: "batch", 2: "latent_length"}, "t": {0: "batch"}, "clip_features": {0: "batch", 1: "seconds"},
                "rhythm": {0: "batch", 1: "seconds"}, "feature_mask": {0: "batch", 1: "seconds"},
                "seconds_start": {0: "batch"}, "seconds_total": {0: "batch"}, "class_label": {0: "batch"},
                "uncond": {0: "batch"}, "v": {0: "batch", 2: "latent_length"}}
    if spec.colour_context == "color":
        dit_inputs += ["color", "color_mask"]
        dit_axes.update({"color": {0: "batch", 1: "seconds"}, "color_mask": {0: "batch", 1: "seconds"}})
    return {
        "clip_image": (clip, ["pixel_values"], ["image_embeds"],
                       {"pixel_values": {0: "batch"}, "image_embeds": {0: "batch"}}),
        "rhythm_predictor": (RhythmPredictorGraph(diffusion), ["clip_features", "class_label", "scene_cut", "pseudo_beat"],
                             ["odf_lr"], {"clip_features": {0: "batch", 1: "seconds"}, "class_label": {0: "batch"},
                                          "scene_cut": {0: "batch", 1: "seconds"}, "pseudo_beat": {0: "batch", 1: "seconds"},
                                          "odf_lr": {0: "batch", 1: "seconds"}}),
        "dit": (DitGraph(diffusion, dit), dit_inputs, ["v"], dit_axes),
        "vae_decoder": (VaeDecoderGraph(diffusion), ["latents"], ["audio"],
                        {"latents": {0: "batch", 2: "latent_length"}, "audio": {0: "batch", 2: "samples"}}),
    }


def torch_outputs(module: torch.nn.Module, input_names: List[str], inputs: Dict[str, np.ndarray]) -> np.ndarray:
    with torch.no_grad():
        args = [torch.from_numpy(np.ascontiguousarray(inputs[n])) for n in input_names]
        return module(*args).numpy()


def _file_entry(pack_dir: Path, p: Path) -> dict:
    return {"path": p.relative_to(pack_dir).as_posix(), "bytes": p.stat().st_size, "sha256": sha256_file(p)}


def feature_recipes(spec: ModelSpec) -> dict:
    s = spec.max_seconds
    colour = spec.conditioner_of_type("color") if any(c.type == "color" for c in spec.conditioners) else None
    return {
        "seconds": {"length": s, "note": f"every per-second input is zero-padded to {s} rows with feature_mask 0; "
                    "the checkpoint was trained on 30 s clips padded this way"},
        "clip": {
            "model": "CLIP ViT image tower (clip_image.onnx)", "frames": "one frame per second of video",
            "resize": {"short_side": spec.clip.image_size, "interpolation": "bicubic"},
            "center_crop": spec.clip.image_size, "pixel_scale": 1.0 / 255.0, "mean": CLIP_MEAN, "std": CLIP_STD,
            "layout": "NCHW RGB float32", "l2_normalize": False, "dim": spec.clip.output_dim,
            "open": "Diff-V2M's own extraction script is unreleased: frame choice within a second and "
                    "normalisation of the embedding are not confirmed"},
        "rhythm_predictor": {
            "scene_cut": "int64 per second, 1 where a scene cut falls in that second (PySceneDetect 0.6.6 cuts binned "
                         "per second) [OPEN: recipe unreleased]",
            "pseudo_beat": "float per second, visual-beat strength from the app's visual-rhythm analysis [OPEN]",
            "class_label": "int64, 2 for inference (the released inference datasets use class 2)",
            "output": "odf_lr: z-scored onset strength per second; feed it to dit.onnx as `rhythm`"},
        "odf_target": {
            "recipe": "SIGNALS.md §2.10: librosa onset_strength (sr 44100, hop 512) of the mono mix, z-scored, "
                      "scipy find_peaks(prominence=0.05), max peak value per rounded second; then block-averaged "
                      "and z-scored per item over (T,1) with unbiased std + 1e-6 by the rhythm conditioner",
            "used_for": "training target of the rhythm predictor; user-edited ODF curves can replace odf_lr"},
        "colour_histogram": {
            "dim": int(colour.config["dim"]) if colour else None,
            "used_by_dit": spec.colour_context == "color",
            "hypothesis": "HistoGAN RGB-uv histogram, h = 32 bins, inverse-quadratic kernel sigma 0.02, "
                          "intensity-weighted, normalised over all 3 channels (SIGNALS.md §4.2) [UNVERIFIED]",
            "note": "the released DiTWrapper feeds the rhythm group to the first cross-attention, so the colour "
                    "features never reach the denoiser of the published checkpoint"},
        "seconds_start": "float, 0 for a clip that starts the piece",
        "seconds_total": f"float, clip duration in seconds (clamped to {spec.conditioner('seconds_total').config.get('max_val')})"
        if any(c.id == "seconds_total" for c in spec.conditioners) else None,
    }


def sampler_defaults(spec: ModelSpec) -> dict:
    return {
        "type": "v-ddim", "objective": spec.diffusion_objective, "steps": 250, "cfg_scale": 3.0, "eta": 0.0,
        "sigma_max": 1.0,
        "schedule": "t_i = float32(1 - i/steps), i = 0..steps-1; alpha = cos(pi t/2), sigma = sin(pi t/2)",
        "update": "pred = x*alpha_i - v*sigma_i; eps = x*sigma_i + v*alpha_i; x = pred*alpha_{i+1} + eps*sigma_{i+1}; "
                  "return pred of the last step",
        "cfg": "run dit.onnx on a doubled batch [cond; uncond]: identical inputs, uncond = 0 for the first half and "
               "1 for the second (nulls every cross-attention context, keeps masks and global conditioning); "
               "v = v_uncond + (v_cond - v_uncond) * cfg_scale",
        "noise": f"standard normal [batch, {spec.io_channels}, latent_length]",
        "film_switch_t": 0.2,
        "latent_length": spec.latent_length, "reference_seed": 42,
    }


def write_pack(pack_dir: Path, spec: ModelSpec, diffusion: DiffV2M, clip: ClipImageTower, dit: DiffusionTransformer,
               *, name: str, source: dict, licence: dict, fp16: bool = True, external: Optional[bool] = None,
               trace_latent_length: int = 16, log=print) -> dict:
    pack_dir = Path(pack_dir)
    pack_dir.mkdir(parents=True, exist_ok=True)
    ex = example_inputs(spec, batch=2, latent_length=trace_latent_length)
    models = {}
    for gname, (module, inputs, outputs, axes) in graph_specs(spec, diffusion, clip, dit).items():
        args = tuple(torch.from_numpy(ex[gname][n]) for n in inputs)
        log(f"exporting {gname} ...")
        files32 = export_graph(module, args, pack_dir / f"{gname}.onnx", inputs, outputs, axes, external=external)
        entry = {"files": {"fp32": _variant(pack_dir, files32)}}
        if fp16:
            m = onnx.load(str(files32[0]))
            files16 = save_model(convert_fp16(m), pack_dir / f"{gname}.fp16.onnx", external=external)
            entry["files"]["fp16"] = _variant(pack_dir, files16)
        entry.update(io_description(files32[0]))
        models[gname] = entry
    manifest = {
        "format": PACK_FORMAT, "format_version": PACK_FORMAT_VERSION, "name": name, "opset": OPSET,
        "source": source,
        "audio": {"sample_rate": spec.sample_rate, "channels": spec.audio_channels, "sample_size": spec.sample_size,
                  "latent_channels": spec.io_channels, "downsampling_ratio": spec.downsampling_ratio,
                  "latent_rate": spec.latent_rate, "latent_length": spec.latent_length},
        "conditioning": {"max_seconds": spec.max_seconds, "clip_dim": spec.clip.output_dim,
                         "clip_image_size": spec.clip.image_size, "colour_context": spec.colour_context,
                         "class_labels": [0, 1, 2]},
        "models": models,
        "precision": {"fp32": "float32 weights and arithmetic",
                      "fp16": "float16 weights and arithmetic, float32 inputs/outputs (cast inside the graph); "
                              "meant for GPU execution providers"},
        "feature_recipes": feature_recipes(spec),
        "sampler": sampler_defaults(spec),
        "licence": licence,
    }
    tmp = pack_dir / "manifest.json.tmp"
    tmp.write_text(json.dumps(manifest, indent=2) + "\n")
    os.replace(tmp, pack_dir / "manifest.json")
    return manifest


def _variant(pack_dir: Path, files: List[Path]) -> dict:
    e = _file_entry(pack_dir, files[0])
    e["external_data"] = [_file_entry(pack_dir, f) for f in files[1:]]
    return e


class PackError(RuntimeError):
    pass


def verify_pack(pack_dir: Path) -> dict:
    """Check every file named by the manifest against its size and sha256."""
    pack_dir = Path(pack_dir)
    mf = pack_dir / "manifest.json"
    if not mf.exists():
        raise PackError(f"{pack_dir} has no manifest.json")
    manifest = json.loads(mf.read_text())
    if manifest.get("format") != PACK_FORMAT or manifest.get("format_version") != PACK_FORMAT_VERSION:
        raise PackError(f"{mf}: not a {PACK_FORMAT} v{PACK_FORMAT_VERSION} manifest")
    for mname in MODEL_NAMES:
        if mname not in manifest["models"]:
            raise PackError(f"{mf}: model {mname} missing")
        for variant, e in manifest["models"][mname]["files"].items():
            for f in [e] + e.get("external_data", []):
                p = pack_dir / f["path"]
                if not p.exists():
                    raise PackError(f"{mname} ({variant}): file {f['path']} is missing")
                if p.stat().st_size != f["bytes"]:
                    raise PackError(f"{mname} ({variant}): {f['path']} has {p.stat().st_size} bytes, manifest says {f['bytes']}")
                if sha256_file(p) != f["sha256"]:
                    raise PackError(f"{mname} ({variant}): {f['path']} sha256 differs from the manifest")
    return manifest
