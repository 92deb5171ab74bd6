"""Turn the published Diff-V2M checkpoint into a V2M Studio model pack.

    PYTHONPATH=native-models /usr/bin/python3 -m v2m_models.export \\
        --ckpt model_odf.ckpt --config model_config_odf.json --clip ViT-B-32.pt --out packs/diffv2m

Writes clip_image / rhythm_predictor / dit / vae_decoder as .onnx (fp32) and .fp16.onnx, weights in
`<file>.data` for graphs over 2 GB, and manifest.json. `--random-weights` exports the same graphs
with random weights (no downloads), e.g. for GPU benchmarks of the full-size DiT.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import torch

from .checkpoint import CheckpointError, dit_weights, load_training_state
from .clip_vision import ClipImageTower, ClipWeightsError, load_clip_tower
from .config import ConfigError, load_model_config
from .diff_v2m import DiffV2MTrainingState
from .pack import example_inputs, graph_specs, sha256_file, torch_outputs, verify_pack, write_pack

LICENCE = {
    "diffv2m_weights": "Diff-V2M checkpoint (Hugging Face TaylorJi/Diff-V2M, model_odf.ckpt): the authors published "
                       "no licence for the code or the weights, so redistribution terms are unknown; keep this pack "
                       "for personal use unless the authors grant more",
    "vae": "the VAE inside the checkpoint is Stable Audio Open 1.0's autoencoder (Stability AI Community License)",
    "clip": "OpenAI CLIP ViT-B/32 image tower (MIT licence)",
    "exporter": "V2M Studio native-models (MIT)",
}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m v2m_models.export", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ckpt", type=Path, help="model_odf.ckpt (Lightning checkpoint)")
    ap.add_argument("--config", type=Path, required=True, help="model_config_odf.json")
    ap.add_argument("--clip", type=Path, help="OpenAI ViT-B-32.pt or open_clip ViT-B-32 (openai) weights")
    ap.add_argument("--out", type=Path, required=True, help="pack directory to write")
    ap.add_argument("--name", default="diffv2m-odf")
    ap.add_argument("--weights", choices=["online", "ema"], default="online",
                    help="DiT weights: 'online' is what the released inference script samples with (default)")
    ap.add_argument("--random-weights", action="store_true", help="no checkpoint: random weights at the config's size")
    ap.add_argument("--no-fp16", action="store_true")
    ap.add_argument("--external", choices=["auto", "always", "never"], default="auto",
                    help="external-data weights: auto = only for graphs over 2 GB")
    ap.add_argument("--verify", action="store_true", help="run each fp32 graph with onnxruntime-node and compare")
    a = ap.parse_args(argv)
    torch.set_grad_enabled(True)  # exporting with grad enabled avoids torch 1.13 fast paths

    t0 = time.time()
    try:
        spec = load_model_config(a.config)
        if a.random_weights:
            torch.manual_seed(0)
            state = DiffV2MTrainingState(spec, with_ema=False).eval()
            info = {"keys": len(state.state_dict()), "has_ema": False}
            source = {"checkpoint": None, "random_weights": True}
        else:
            if a.ckpt is None:
                ap.error("--ckpt is required (or --random-weights)")
            print(f"loading {a.ckpt} (strict) ...", flush=True)
            state, info = load_training_state(spec, a.ckpt)
            source = {"checkpoint": a.ckpt.name, "checkpoint_sha256": sha256_file(a.ckpt)}
        if a.clip is not None:
            clip = load_clip_tower(a.clip, spec.clip)
            source["clip"] = a.clip.name
            source["clip_sha256"] = sha256_file(a.clip)
        elif a.random_weights:
            clip = ClipImageTower(spec.clip).eval()
        else:
            ap.error("--clip is required (OpenAI CLIP ViT-B/32 weights)")
        dit = dit_weights(state, a.weights if not a.random_weights else "online")
    except (ConfigError, CheckpointError, ClipWeightsError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    source.update({"config": a.config.name, "config_sha256": sha256_file(a.config), "dit_weights": a.weights,
                   "state_dict_entries": info["keys"]})
    n = sum(p.numel() for p in dit.parameters())
    print(f"DiT parameters: {n:,}; exporting to {a.out}", flush=True)
    external = {"auto": None, "always": True, "never": False}[a.external]
    manifest = write_pack(a.out, spec, state.diffusion, clip, dit, name=a.name, source=source,
                          licence=LICENCE if not a.random_weights else {"weights": "random, not for music"},
                          fp16=not a.no_fp16, external=external)
    verify_pack(a.out)
    if a.verify:
        from .ort_node import run_onnx
        ex = example_inputs(spec, batch=1, latent_length=32, seed=3)
        for gname, (module, ins, outs, _) in graph_specs(spec, state.diffusion, clip, dit).items():
            ref = torch_outputs(module, ins, ex[gname])
            got = run_onnx(a.out / manifest["models"][gname]["files"]["fp32"]["path"], {k: ex[gname][k] for k in ins})
            print(f"  {gname}: onnxruntime vs PyTorch max abs diff {float(np.abs(got[outs[0]] - ref).max()):.3g}")
    print(f"done in {time.time() - t0:.0f} s: {a.out / 'manifest.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
