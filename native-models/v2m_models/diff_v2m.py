"""The whole Diff-V2M model and its checkpoint layout.

Attribute names reproduce the state-dict layout of the released checkpoint
(`DiffusionCondTrainingWrapper` of the Diff-V2M stable-audio-tools fork):

    diffusion.model.model.*                 DiffusionTransformer (inside DiTWrapper), dit.py
    diffusion.conditioner.conditioners.*    semantic (+ extractor), rhythm, color, class, seconds_*, conditioners.py
    diffusion.pretransform.model.{encoder,decoder}.*   Oobleck VAE (weight-normed convs, SnakeBeta), vae.py
    diffusion_ema.{initted,step}, diffusion_ema.ema_model.model.*   EMA copy of the DiT
"""
from __future__ import annotations

from typing import Dict, Optional, Tuple

import torch
from torch import nn

from .conditioners import MultiConditioner
from .config import ModelSpec
from .dit import DiTWrapper
from .vae import AutoencoderPretransform


class DiffV2M(nn.Module):
    """ConditionedDiffusionModelWrapper equivalent: DiT + conditioners + VAE pretransform."""

    def __init__(self, spec: ModelSpec):
        super().__init__()
        self.spec = spec
        self.model = DiTWrapper(spec)
        self.conditioner = MultiConditioner(spec)
        self.pretransform = AutoencoderPretransform(spec)

    # --- conditioning, written for fixed-size tensors so it exports to ONNX -----------------

    def _cond(self, cid: str):
        return self.conditioner.conditioners[cid]

    def _id_of_type(self, ctype: str) -> str:
        return self.spec.conditioner_of_type(ctype).id

    def predict_rhythm(self, clip_feats, class_label, scene_cut, pseudo_beat):
        """ODF_LR predicted from video: (B,T)."""
        ext = self._cond(self._id_of_type("semantic")).extractor
        return ext(clip_feats, class_label, scene_cut, pseudo_beat).squeeze(-1)

    def conditioning(self, clip_feats, rhythm, feature_mask, seconds_start, seconds_total, class_label,
                     color=None, color_mask=None, rhythm_tokens=None):
        """Cross-attention groups, masks and the global vector exactly as
        `get_conditioning_inputs` + `DiTWrapper.forward` build them.

        rhythm (B,T) is the ODF_LR fed to the rhythm conditioner (at inference the predicted one).
        feature_mask (B,T) bool marks real seconds (the semantic mask, reused for the rhythm).
        rhythm_tokens (B,T,cond), when given, replaces the rhythm conditioner's output (training)."""
        b = clip_feats.shape[0]
        ones = torch.ones(b, 1, dtype=torch.bool, device=clip_feats.device)
        sem_id, rhy_id = self._id_of_type("semantic"), "rhythm"
        tokens: Dict[str, Tuple[torch.Tensor, torch.Tensor]] = {}
        tokens[sem_id] = (self._cond(sem_id)(clip_feats), feature_mask)
        rt = rhythm_tokens if rhythm_tokens is not None else self._cond(rhy_id)(rhythm.unsqueeze(-1))
        tokens[rhy_id] = (rt, feature_mask)
        per_item = {}
        for c in self.spec.conditioners:
            if c.type == "number":
                v = seconds_start if c.id == "seconds_start" else seconds_total if c.id == "seconds_total" else None
                if v is None:
                    raise ValueError(f"number conditioner {c.id!r}: only seconds_start / seconds_total are wired")
                per_item[c.id] = (self._cond(c.id)(v), ones)
            elif c.type == "int":
                per_item[c.id] = (self._cond(c.id)(class_label), ones)
            elif c.type == "color" and color is not None:
                tokens[c.id] = (self._cond(c.id)(color), color_mask)
        sem, rhy, col = [], [], []
        for key in self.spec.cross_attention_cond_ids:
            ctype = self.spec.conditioner(key).type
            if ctype == "semantic":
                sem.append(tokens[key])
            elif ctype == "rhythm":
                rhy.append(tokens[key])
            elif ctype == "color":
                if color is not None:
                    col.append(tokens[key])
            else:
                sem.append(per_item[key])
                rhy.append(per_item[key])
        groups = [sem, rhy]
        ctx = [torch.cat([p[0] for p in g], dim=1) for g in groups]
        msk = [torch.cat([p[1] for p in g], dim=1) for g in groups]
        has_colour = "color" in [self.spec.conditioner(k).type for k in self.spec.cross_attention_cond_ids]
        if has_colour:
            if self.spec.colour_context == "rhythm":
                # Released code: the third context is the selected rhythm group again.
                ctx.append(ctx[1])
                msk.append(msk[1])
            else:
                if color is None:
                    raise ValueError("this config feeds colour features to the DiT: pass color and color_mask")
                ctx.append(torch.cat([p[0] for p in col], dim=1))
                msk.append(torch.cat([p[1] for p in col], dim=1))
        glob = torch.cat([per_item[k][0] for k in self.spec.global_cond_ids], dim=-1).squeeze(1)
        return ctx, msk, glob

    def denoise(self, x, t, ctx, msk, glob, uncond=None):
        """One DiT call. uncond (B,) in {0,1}: 1 nulls every cross-attention context (CFG's
        unconditional half: zeros, masks and global conditioning kept)."""
        if uncond is not None:
            keep = (1.0 - uncond).to(x.dtype)[:, None, None]
            ctx = [c * keep for c in ctx]
        return self.model.model(x, t, ctx, msk, glob)


class EMAState(nn.Module):
    """ema-pytorch 0.2.3 `EMA(include_online_model=False)` state: `initted`, `step`, `ema_model`."""

    def __init__(self, spec: ModelSpec):
        super().__init__()
        self.ema_model = DiTWrapper(spec)
        self.register_buffer("initted", torch.Tensor([False]))
        self.register_buffer("step", torch.tensor([0]))


class DiffV2MTrainingState(nn.Module):
    """Mirrors the Lightning module whose `state_dict` is in `model_odf.ckpt`."""

    def __init__(self, spec: ModelSpec, with_ema: Optional[bool] = None):
        super().__init__()
        self.diffusion = DiffV2M(spec)
        if spec.use_ema if with_ema is None else with_ema:
            self.diffusion_ema = EMAState(spec)
            self.diffusion_ema.ema_model.load_state_dict(self.diffusion.model.state_dict())
        else:
            self.diffusion_ema = None
