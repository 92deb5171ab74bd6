"""The conditioners of Diff-V2M (`diffusion.conditioner.conditioners.*` in the checkpoint):
semantic (CLIP features, holding the rhythm predictor), rhythm, colour, class, seconds_start/total
and the weightless T5 stand-in.
"""
from __future__ import annotations

import math
from typing import Optional

import torch
from torch import nn

from .config import ModelSpec
from .rhythm_predictor import SemanticRhythmExtractor


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
