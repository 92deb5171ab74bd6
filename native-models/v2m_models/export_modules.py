"""The four graphs of a model pack, as modules with plain tensor inputs, plus the reference sampler."""
from __future__ import annotations

import copy
import math
from typing import Callable, Dict, List, Optional

import torch
from torch import nn

from .diff_v2m import DiffV2M
from .dit import DiffusionTransformer
from .vae import AutoencoderPretransform


class RhythmPredictorGraph(nn.Module):
    """clip_features (B,S,D), class_label (B,) int64, scene_cut (B,S) int64, pseudo_beat (B,S) → odf_lr (B,S)."""

    def __init__(self, diffusion: DiffV2M):
        super().__init__()
        self.diffusion = diffusion

    def forward(self, clip_features, class_label, scene_cut, pseudo_beat):
        return self.diffusion.predict_rhythm(clip_features, class_label, scene_cut, pseudo_beat)


class DitGraph(nn.Module):
    """One denoiser call with the conditioning projections inside.

    x (B,C,L), t (B,), clip_features (B,S,D), rhythm (B,S) (ODF_LR), feature_mask (B,S) float 0/1,
    seconds_start (B,), seconds_total (B,), class_label (B,) int64, uncond (B,) float 0/1
    [, color (B,S,Dc), color_mask (B,S) when the config feeds colour] → v (B,C,L)."""

    def __init__(self, diffusion: DiffV2M, dit: Optional[DiffusionTransformer] = None):
        super().__init__()
        self.diffusion = diffusion
        self.dit = dit if dit is not None else diffusion.model.model
        self.uses_colour = diffusion.spec.colour_context == "color"

    def forward(self, x, t, clip_features, rhythm, feature_mask, seconds_start, seconds_total, class_label,
                uncond, color=None, color_mask=None):
        fm = feature_mask > 0.5
        cm = color_mask > 0.5 if color_mask is not None else None
        ctx, msk, glob = self.diffusion.conditioning(clip_features, rhythm, fm, seconds_start, seconds_total,
                                                     class_label, color=color, color_mask=cm)
        keep = (1.0 - uncond)[:, None, None]
        ctx = [c * keep for c in ctx]
        return self.dit(x, t, ctx, msk, glob)


class VaeDecoderGraph(nn.Module):
    """latents (B,C,L) → audio (B, channels, L·ratio); weight norm folded into plain weights."""

    def __init__(self, diffusion: DiffV2M):
        super().__init__()
        pre = AutoencoderPretransform(diffusion.spec)
        pre.load_state_dict(diffusion.pretransform.state_dict())
        for m in pre.modules():
            if hasattr(m, "weight_g"):
                torch.nn.utils.remove_weight_norm(m)
        self.decoder = pre.model.decoder
        self.scale = pre.scale

    def forward(self, latents):
        return self.decoder(latents * self.scale)


def cfg_denoise(dit_fn: Callable, x, t_scalar: float, cond: Dict[str, torch.Tensor], cfg_scale: float):
    """Classifier-free guidance as the released DiT does it: one doubled batch [cond; uncond]."""
    b = x.shape[0]
    t = torch.full((b,), float(t_scalar), dtype=torch.float32)
    if cfg_scale == 1.0:
        return dit_fn(x, t, dict(cond, uncond=torch.zeros(b)))
    dup = {k: torch.cat([v, v], dim=0) for k, v in cond.items()}
    dup["uncond"] = torch.cat([torch.zeros(b), torch.ones(b)])
    out = dit_fn(torch.cat([x, x]), torch.cat([t, t]), dup)
    c, u = out[:b], out[b:]
    return u + (c - u) * cfg_scale


def vddim_sample(dit_fn: Callable, noise, cond: Dict[str, torch.Tensor], steps: int = 250, cfg_scale: float = 3.0,
                 record: Optional[List[torch.Tensor]] = None):
    """stable-audio-tools `sample(..., eta=0)`: t_i = 1 - i/steps (float32), α = cos(πt/2), σ = sin(πt/2);
    returns the x0 prediction of the last step."""
    t = torch.linspace(1.0, 0.0, steps + 1)[:-1]
    alphas, sigmas = torch.cos(t * math.pi / 2), torch.sin(t * math.pi / 2)
    x = noise
    pred = None
    for i in range(steps):
        if record is not None:
            record.append(x.clone())
        v = cfg_denoise(dit_fn, x, float(t[i]), cond, cfg_scale)
        pred = x * alphas[i] - v * sigmas[i]
        eps = x * sigmas[i] + v * alphas[i]
        if i < steps - 1:
            x = pred * alphas[i + 1] + eps * sigmas[i + 1]
    return pred


def torch_dit_fn(graph: DitGraph):
    def fn(x, t, inputs):
        with torch.no_grad():
            return graph(x, t, inputs["clip_features"], inputs["rhythm"], inputs["feature_mask"],
                         inputs["seconds_start"], inputs["seconds_total"], inputs["class_label"], inputs["uncond"],
                         inputs.get("color"), inputs.get("color_mask"))
    return fn
