"""The rhythm predictor ("RhythmExtractor" in the released code): per-second CLIP features → ODF_LR.

It lives inside the semantic conditioner, so its weights are under
`diffusion.conditioner.conditioners.semantic.extractor.*` in the checkpoint; the app runs it as its own
graph (rhythm_predictor.onnx).
"""
from __future__ import annotations

import torch
from torch import nn

from .layers import ExtractorTransformer


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
