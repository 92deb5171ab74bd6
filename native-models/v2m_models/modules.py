"""Diff-V2M reference modules: conditioners, rhythm extractor, DiT, Oobleck VAE.

Attribute names reproduce the state-dict layout of the released checkpoint
(`DiffusionCondTrainingWrapper` of the Diff-V2M stable-audio-tools fork):

    diffusion.model.model.*                 DiffusionTransformer (inside DiTWrapper)
    diffusion.conditioner.conditioners.*    semantic (+ extractor), rhythm, color, class, seconds_*
    diffusion.pretransform.model.{encoder,decoder}.*   Oobleck VAE (weight-normed convs, SnakeBeta)
    diffusion_ema.{initted,step}, diffusion_ema.ema_model.model.*   EMA copy of the DiT
"""
from __future__ import annotations

import math
from typing import Dict, List, Optional, Tuple

import torch
from torch import nn
from torch.nn import functional as F
from torch.nn.utils import weight_norm

from .config import ModelSpec, OobleckSpec
from .layers import ContinuousTransformer, ExtractorTransformer


# ----------------------------------------------------------------------------- conditioners

class ZScore(nn.Module):
    """Per-item z-score over (T, D) with the unbiased std + eps, as `normalize_tensor` in the released
    code. Kept in float32 by the fp16 export (sums over 30 x 512 values)."""

    def forward(self, x):
        b = x.shape[0]
        flat = x.reshape(b, -1)
        mean = flat.mean(dim=1)
        std = flat.std(dim=1, unbiased=True)
        return (x - mean[:, None, None]) / (std[:, None, None] + 1e-6)


class SemanticRhythmExtractor(nn.Module):
    """The rhythm predictor ("RhythmExtractor"): per-second CLIP features → ODF_LR (B, T, out)."""

    def __init__(self, input_dim: int, output_dim: int, dim: int, depth: int = 12, num_heads: int = 8):
        super().__init__()
        self.transformer = ExtractorTransformer(dim, depth, dim // num_heads, dim_in=input_dim, dim_out=output_dim)
        self.class_embedding = nn.Embedding(3, input_dim)
        self.scene_embedding = nn.Embedding(2, input_dim)
        self.pseudo_linear = nn.Sequential(nn.Linear(1, 128), nn.ReLU(), nn.Linear(128, input_dim))
        self.zscore = ZScore()

    def forward(self, clip_feats, class_label, scene_cut, pseudo_beat):
        """clip_feats (B,T,D) zero-padded to the trained length; class_label (B,) int64;
        scene_cut (B,T) int64 in {0,1}; pseudo_beat (B,T) float."""
        x = self.zscore(clip_feats)
        x = x + self.scene_embedding(scene_cut) + self.pseudo_linear(pseudo_beat.unsqueeze(-1))
        x = torch.cat((self.class_embedding(class_label).unsqueeze(1), x), dim=1)
        return self.transformer(x)[:, 1:, :]


class SemanticConditioner(nn.Module):
    def __init__(self, dim: int, output_dim: int, max_length: int = 30, rhythm_type: str = "odf",
                 mid_dim: int = 512, extractor_dim: Optional[int] = None, extractor_depth: int = 12,
                 extractor_heads: int = 8):
        super().__init__()
        if rhythm_type != "odf":
            raise ValueError(f"rhythm_type {rhythm_type!r}: only 'odf' (the released checkpoint) is supported")
        self.max_length = max_length
        # The base class's projection exists in the checkpoint but the forward pass never uses it.
        self.proj_out = nn.Linear(dim, output_dim) if dim != output_dim else nn.Identity()
        self.extractor = SemanticRhythmExtractor(dim, 1, extractor_dim or mid_dim, extractor_depth, extractor_heads)
        self.proj_out1 = nn.Linear(dim, mid_dim) if dim != mid_dim else nn.Identity()
        self.proj_out2 = nn.Linear(mid_dim, output_dim)

    def forward(self, clip_feats):
        return self.proj_out2(self.proj_out1(clip_feats))


class TwoStageConditioner(nn.Module):
    """Rhythm (1 → mid → cond) and colour (3072 → 1024 → cond) projections, no activation between."""

    def __init__(self, dim: int, output_dim: int, mid_dim: int, max_length: int = 30):
        super().__init__()
        self.max_length = max_length
        self.proj_out = nn.Linear(dim, output_dim) if dim != output_dim else nn.Identity()  # unused, in the checkpoint
        self.proj_out1 = nn.Linear(dim, mid_dim) if dim != mid_dim else nn.Identity()
        self.proj_out2 = nn.Linear(mid_dim, output_dim)

    def forward(self, x):
        return self.proj_out2(self.proj_out1(x))


class IntConditioner(nn.Module):
    def __init__(self, output_dim: int, min_val: int = 0, max_val: int = 512):
        super().__init__()
        self.min_val, self.max_val = min_val, max_val
        self.int_embedder = nn.Embedding(max_val - min_val + 1, output_dim)
        self.proj_out = nn.Identity()

    def forward(self, ints):
        # The released code indexes the table with the clamped value itself (min_val is 0 there).
        return self.int_embedder(ints.clamp(self.min_val, self.max_val)).unsqueeze(1)


class LearnedPositionalEmbedding(nn.Module):
    def __init__(self, dim: int):
        super().__init__()
        self.weights = nn.Parameter(torch.randn(dim // 2))

    def forward(self, x):
        x = x.unsqueeze(-1)
        freqs = x * self.weights.unsqueeze(0) * 2 * math.pi
        return torch.cat((x, freqs.sin(), freqs.cos()), dim=-1)


class NumberEmbedder(nn.Module):
    def __init__(self, features: int, dim: int = 256):
        super().__init__()
        self.embedding = nn.Sequential(LearnedPositionalEmbedding(dim), nn.Linear(dim + 1, features))

    def forward(self, x):
        return self.embedding(x)


class NumberConditioner(nn.Module):
    def __init__(self, output_dim: int, min_val: float = 0, max_val: float = 1):
        super().__init__()
        self.min_val, self.max_val = float(min_val), float(max_val)
        self.embedder = NumberEmbedder(output_dim)
        self.proj_out = nn.Identity()

    def forward(self, floats):
        x = (floats.clamp(self.min_val, self.max_val) - self.min_val) / (self.max_val - self.min_val)
        return self.embedder(x).unsqueeze(1)


class ParameterFreeT5(nn.Module):
    """Stands in for the T5 prompt conditioner: the released code keeps T5 out of the state dict
    and its projection is an identity, so it has no weights; Diff-V2M never feeds it to the DiT."""

    def __init__(self, **_):
        super().__init__()
        self.proj_out = nn.Identity()


class MultiConditioner(nn.Module):
    def __init__(self, spec: ModelSpec):
        super().__init__()
        mods = {}
        for c in spec.conditioners:
            cfg = dict(c.config)
            if c.type == "semantic":
                mods[c.id] = SemanticConditioner(output_dim=spec.cond_dim, **cfg)
            elif c.type == "rhythm":
                mods[c.id] = TwoStageConditioner(int(cfg["dim"]), spec.cond_dim, int(cfg.get("mid_dim", 512)),
                                                 int(cfg.get("max_length", 30)))
            elif c.type == "color":
                mods[c.id] = TwoStageConditioner(int(cfg["dim"]), spec.cond_dim, int(cfg.get("mid_dim", 1024)),
                                                 int(cfg.get("max_length", 30)))
            elif c.type == "int":
                mods[c.id] = IntConditioner(spec.cond_dim, int(cfg.get("min_val", 0)), int(cfg.get("max_val", 512)))
            elif c.type == "number":
                mods[c.id] = NumberConditioner(spec.cond_dim, cfg.get("min_val", 0), cfg.get("max_val", 1))
            elif c.type == "t5":
                mods[c.id] = ParameterFreeT5()
        self.conditioners = nn.ModuleDict(mods)


# ----------------------------------------------------------------------------- DiT

class FourierFeatures(nn.Module):
    def __init__(self, in_features: int, out_features: int):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(out_features // 2, in_features))

    def forward(self, x):
        f = 2 * math.pi * x @ self.weight.T
        return torch.cat([f.cos(), f.sin()], dim=-1)


class DiffusionTransformer(nn.Module):
    def __init__(self, io_channels: int, embed_dim: int, depth: int, num_heads: int, cond_token_dim: int,
                 global_cond_dim: int, film_t_dim: int = 64, film_hidden: int = 256, **_ignored):
        super().__init__()
        self.io_channels = io_channels
        self.timestep_features = FourierFeatures(1, 256)
        self.to_timestep_embed = nn.Sequential(nn.Linear(256, embed_dim), nn.SiLU(), nn.Linear(embed_dim, embed_dim))
        self.to_cond_embed = nn.Sequential(nn.Linear(cond_token_dim, cond_token_dim, bias=False), nn.SiLU(),
                                           nn.Linear(cond_token_dim, cond_token_dim, bias=False))
        self.to_global_embed = nn.Sequential(nn.Linear(global_cond_dim, embed_dim, bias=False), nn.SiLU(),
                                             nn.Linear(embed_dim, embed_dim, bias=False))
        self.transformer = ContinuousTransformer(embed_dim, depth, embed_dim // num_heads, dim_in=io_channels,
                                                 dim_out=io_channels, cross_attend=True, cond_token_dim=cond_token_dim,
                                                 film_t_dim=film_t_dim, film_hidden=film_hidden)
        self.preprocess_conv = nn.Conv1d(io_channels, io_channels, 1, bias=False)
        nn.init.zeros_(self.preprocess_conv.weight)
        self.postprocess_conv = nn.Conv1d(io_channels, io_channels, 1, bias=False)
        nn.init.zeros_(self.postprocess_conv.weight)

    def forward(self, x, t, context: List[torch.Tensor], context_mask: List[torch.Tensor], global_embed):
        """x (B,C,L); t (B,); context: [semantic, rhythm, colour-slot] groups (B,Lk,cond) before
        `to_cond_embed`; context_mask: bool (B,Lk); global_embed (B, global_cond_dim). Returns v (B,C,L)."""
        context = [self.to_cond_embed(c) for c in context]
        g = self.to_global_embed(global_embed) + self.to_timestep_embed(self.timestep_features(t[:, None]))
        x = self.preprocess_conv(x) + x
        out = self.transformer(x.transpose(1, 2), t=t, prepend_embeds=g.unsqueeze(1), context=context,
                               context_mask=context_mask)
        out = out.transpose(1, 2)[:, :, 1:]
        return self.postprocess_conv(out) + out


class DiTWrapper(nn.Module):
    def __init__(self, spec: ModelSpec):
        super().__init__()
        self.model = DiffusionTransformer(**spec.dit)


# ----------------------------------------------------------------------------- Oobleck VAE

class SnakeBeta(nn.Module):
    """x + 1/(β+1e-9) · sin²(αx) with log-scale α, β per channel."""

    def __init__(self, channels: int):
        super().__init__()
        self.alpha = nn.Parameter(torch.zeros(channels))
        self.beta = nn.Parameter(torch.zeros(channels))

    def forward(self, x):
        a = self.alpha.exp()[None, :, None]
        b = self.beta.exp()[None, :, None]
        return x + (1.0 / (b + 1e-9)) * torch.sin(x * a).pow(2)


def _act(use_snake: bool, channels: int) -> nn.Module:
    return SnakeBeta(channels) if use_snake else nn.ELU()


def _wn_conv(*a, **k):
    return weight_norm(nn.Conv1d(*a, **k))


def _wn_tconv(*a, **k):
    return weight_norm(nn.ConvTranspose1d(*a, **k))


class ResidualUnit(nn.Module):
    def __init__(self, channels: int, dilation: int, use_snake: bool):
        super().__init__()
        self.layers = nn.Sequential(
            _act(use_snake, channels),
            _wn_conv(channels, channels, kernel_size=7, dilation=dilation, padding=dilation * 3),
            _act(use_snake, channels),
            _wn_conv(channels, channels, kernel_size=1),
        )

    def forward(self, x):
        return x + self.layers(x)


class EncoderBlock(nn.Module):
    def __init__(self, cin: int, cout: int, stride: int, use_snake: bool):
        super().__init__()
        self.layers = nn.Sequential(
            ResidualUnit(cin, 1, use_snake), ResidualUnit(cin, 3, use_snake), ResidualUnit(cin, 9, use_snake),
            _act(use_snake, cin),
            _wn_conv(cin, cout, kernel_size=2 * stride, stride=stride, padding=math.ceil(stride / 2)),
        )

    def forward(self, x):
        return self.layers(x)


class DecoderBlock(nn.Module):
    def __init__(self, cin: int, cout: int, stride: int, use_snake: bool):
        super().__init__()
        self.layers = nn.Sequential(
            _act(use_snake, cin),
            _wn_tconv(cin, cout, kernel_size=2 * stride, stride=stride, padding=math.ceil(stride / 2)),
            ResidualUnit(cout, 1, use_snake), ResidualUnit(cout, 3, use_snake), ResidualUnit(cout, 9, use_snake),
        )

    def forward(self, x):
        return self.layers(x)


class OobleckEncoder(nn.Module):
    def __init__(self, s: OobleckSpec):
        super().__init__()
        m = [1] + s.c_mults
        layers = [_wn_conv(s.io_channels, m[0] * s.channels, kernel_size=7, padding=3)]
        for i in range(len(m) - 1):
            layers.append(EncoderBlock(m[i] * s.channels, m[i + 1] * s.channels, s.strides[i], s.use_snake))
        layers += [_act(s.use_snake, m[-1] * s.channels),
                   _wn_conv(m[-1] * s.channels, s.latent_dim, kernel_size=3, padding=1)]
        self.layers = nn.Sequential(*layers)

    def forward(self, x):
        return self.layers(x)


class OobleckDecoder(nn.Module):
    def __init__(self, s: OobleckSpec):
        super().__init__()
        m = [1] + s.c_mults
        layers = [_wn_conv(s.latent_dim, m[-1] * s.channels, kernel_size=7, padding=3)]
        for i in range(len(m) - 1, 0, -1):
            layers.append(DecoderBlock(m[i] * s.channels, m[i - 1] * s.channels, s.strides[i - 1], s.use_snake))
        layers += [_act(s.use_snake, m[0] * s.channels),
                   _wn_conv(m[0] * s.channels, s.io_channels, kernel_size=7, padding=3, bias=False),
                   nn.Tanh() if s.final_tanh else nn.Identity()]
        self.layers = nn.Sequential(*layers)

    def forward(self, x):
        return self.layers(x)


class VAEBottleneck(nn.Module):
    def encode(self, x, sample: bool = True, noise: Optional[torch.Tensor] = None):
        """noise: the standard-normal draw to use (training passes its own, so that runs are reproducible
        however the batch is split across processes); default a fresh torch.randn."""
        mean, scale = x.chunk(2, dim=1)
        if not sample:
            return mean
        std = F.softplus(scale) + 1e-4
        return mean + (torch.randn_like(mean) if noise is None else noise.to(mean)) * std


class AudioAutoencoder(nn.Module):
    def __init__(self, spec: ModelSpec):
        super().__init__()
        self.bottleneck = VAEBottleneck()
        self.encoder = OobleckEncoder(spec.encoder)
        self.decoder = OobleckDecoder(spec.decoder)


class AutoencoderPretransform(nn.Module):
    def __init__(self, spec: ModelSpec):
        super().__init__()
        self.model = AudioAutoencoder(spec)
        self.scale = spec.pretransform_scale

    def encode(self, audio, sample: bool = True, noise: Optional[torch.Tensor] = None):
        return self.model.bottleneck.encode(self.model.encoder(audio), sample=sample, noise=noise) / self.scale

    def decode(self, latents):
        return self.model.decoder(latents * self.scale)


# ----------------------------------------------------------------------------- the whole model

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
