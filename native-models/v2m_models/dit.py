"""The Diff-V2M diffusion transformer (`diffusion.model.model.*` in the checkpoint, inside DiTWrapper):
timestep / conditioning / global embeddings around the hierarchical-cross-attention transformer of layers.py.
"""
from __future__ import annotations

import math
from typing import List

import torch
from torch import nn

from .config import ModelSpec
from .layers import ContinuousTransformer


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
