"""Loading `model_odf.ckpt` (a PyTorch Lightning checkpoint of the Diff-V2M training wrapper)."""
from __future__ import annotations

from pathlib import Path
from typing import Dict, Mapping, Tuple

import torch

from .config import ModelSpec
from .diff_v2m import DiffV2MTrainingState


class CheckpointError(RuntimeError):
    """The checkpoint does not fit the config (wrong file, wrong config, or a different model)."""


def read_state_dict(path: str | Path) -> Dict[str, torch.Tensor]:
    p = Path(path)
    if not p.exists():
        raise CheckpointError(f"checkpoint not found: {p}")
    try:
        try:
            obj = torch.load(str(p), map_location="cpu", weights_only=True)
        except Exception:
            # Lightning checkpoints may pickle more than tensors (loop / callback state); the file is
            # the one the user chose to convert, so fall back to a full unpickle.
            obj = torch.load(str(p), map_location="cpu", weights_only=False)
    except Exception as e:  # pickle, zip or truncation errors
        raise CheckpointError(f"cannot read checkpoint {p}: {e}. Is it a complete PyTorch .ckpt file?") from e
    if isinstance(obj, Mapping) and "state_dict" in obj:
        sd = obj["state_dict"]
    elif isinstance(obj, Mapping) and obj and all(isinstance(v, torch.Tensor) for v in obj.values()):
        sd = obj
    else:
        raise CheckpointError(f"{p} holds no state dict (expected a Lightning checkpoint with a 'state_dict' entry)")
    return dict(sd)


def normalise_keys(sd: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """Accept the exported layout (`export_model`: keys without the `diffusion.` prefix) too."""
    if any(k.startswith("diffusion.") for k in sd):
        return sd
    if any(k.startswith("model.model.") for k in sd):
        return {"diffusion." + k: v for k, v in sd.items()}
    return sd


def _explain(missing, unexpected, shape_errors) -> str:
    lines = []
    if missing:
        lines.append(f"{len(missing)} parameters the config expects are missing, e.g. {missing[:5]}")
    if unexpected:
        lines.append(f"{len(unexpected)} parameters in the checkpoint are not in this model, e.g. {unexpected[:5]}")
    if shape_errors:
        lines.append(f"{len(shape_errors)} parameters have other shapes, e.g. {shape_errors[:3]}")
    return "; ".join(lines)


def load_training_state(spec: ModelSpec, ckpt_path: str | Path) -> Tuple[DiffV2MTrainingState, dict]:
    """Build the model from the config and load the checkpoint with strict=True.

    Returns the module and a small report (key count, whether EMA weights were present)."""
    sd = normalise_keys(read_state_dict(ckpt_path))
    has_ema = any(k.startswith("diffusion_ema.") for k in sd)
    state = DiffV2MTrainingState(spec, with_ema=has_ema)
    expected = state.state_dict()
    missing = sorted(set(expected) - set(sd))
    unexpected = sorted(set(sd) - set(expected))
    shape_errors = [f"{k}: checkpoint {tuple(sd[k].shape)} vs config {tuple(expected[k].shape)}"
                    for k in expected if k in sd and tuple(sd[k].shape) != tuple(expected[k].shape)]
    if missing or unexpected or shape_errors:
        raise CheckpointError(
            f"checkpoint {ckpt_path} does not match the model config: " + _explain(missing, unexpected, shape_errors)
            + ". Use the model_config_odf.json that belongs to this checkpoint.")
    sd = {k: (v.float() if v.is_floating_point() and expected[k].is_floating_point() else v) for k, v in sd.items()}
    state.load_state_dict(sd, strict=True)
    state.eval()
    return state, {"keys": len(sd), "has_ema": has_ema}


def dit_weights(state: DiffV2MTrainingState, which: str = "online"):
    """The DiT to export. `online` is what the released inference script samples with
    (`module.diffusion_ema.model` is ema-pytorch's *online* model); `ema` takes the EMA copy."""
    if which == "online":
        return state.diffusion.model.model
    if which == "ema":
        if state.diffusion_ema is None:
            raise CheckpointError("this checkpoint has no EMA weights (no 'diffusion_ema.*' keys)")
        return state.diffusion_ema.ema_model.model
    raise ValueError("which must be 'online' or 'ema'")


def save_lightning_like(state_dict: Dict[str, torch.Tensor], path: str | Path, epoch: int = 0, step: int = 0):
    torch.save({"state_dict": state_dict, "epoch": epoch, "global_step": step,
                "pytorch-lightning_version": "2.1.0"}, str(path))
