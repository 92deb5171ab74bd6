"""CLIP ViT image tower (OpenAI layout: `visual.*` keys of ViT-B/32, also used by open_clip's
`ViT-B-32` / pretrained='openai'), written for ONNX export."""
from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from typing import Dict

import torch
from torch import nn

from .config import ClipVisionSpec

# OpenAI CLIP preprocessing (clip.load's transform): bicubic resize of the short side, centre crop.
CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073]
CLIP_STD = [0.26862954, 0.26130258, 0.27577711]


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class MultiheadSelfAttention(nn.Module):
    """Same parameters as nn.MultiheadAttention (in_proj_weight/bias, out_proj), explicit maths."""

    def __init__(self, width: int, heads: int):
        super().__init__()
        self.heads = heads
        self.in_proj_weight = nn.Parameter(torch.empty(3 * width, width))
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * width))
        self.out_proj = nn.Linear(width, width)
        nn.init.xavier_uniform_(self.in_proj_weight)

    def forward(self, x):
        b, n, w = x.shape
        d = w // self.heads
        qkv = torch.nn.functional.linear(x, self.in_proj_weight, self.in_proj_bias)
        q, k, v = qkv.reshape(b, n, 3, self.heads, d).permute(2, 0, 3, 1, 4).unbind(0)
        attn = torch.softmax(torch.matmul(q, k.transpose(-1, -2)) * (d ** -0.5), dim=-1)
        out = torch.matmul(attn, v).permute(0, 2, 1, 3).reshape(b, n, w)
        return self.out_proj(out)


class ResidualAttentionBlock(nn.Module):
    def __init__(self, width: int, heads: int):
        super().__init__()
        self.attn = MultiheadSelfAttention(width, heads)
        self.ln_1 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(OrderedDict([
            ("c_fc", nn.Linear(width, width * 4)), ("gelu", QuickGELU()), ("c_proj", nn.Linear(width * 4, width))]))
        self.ln_2 = nn.LayerNorm(width)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class Transformer(nn.Module):
    def __init__(self, width: int, layers: int, heads: int):
        super().__init__()
        self.resblocks = nn.Sequential(*[ResidualAttentionBlock(width, heads) for _ in range(layers)])

    def forward(self, x):
        return self.resblocks(x)


class VisionTransformer(nn.Module):
    def __init__(self, s: ClipVisionSpec):
        super().__init__()
        self.spec = s
        scale = s.width ** -0.5
        grid = s.image_size // s.patch_size
        self.conv1 = nn.Conv2d(3, s.width, kernel_size=s.patch_size, stride=s.patch_size, bias=False)
        self.class_embedding = nn.Parameter(scale * torch.randn(s.width))
        self.positional_embedding = nn.Parameter(scale * torch.randn(grid * grid + 1, s.width))
        self.ln_pre = nn.LayerNorm(s.width)
        self.transformer = Transformer(s.width, s.layers, s.heads)
        self.ln_post = nn.LayerNorm(s.width)
        self.proj = nn.Parameter(scale * torch.randn(s.width, s.output_dim))

    def forward(self, pixels):
        """pixels (B,3,H,W), already resized, cropped and normalised → image embedding (B, output_dim)."""
        x = self.conv1(pixels)
        b, w = x.shape[0], x.shape[1]
        x = x.reshape(b, w, -1).permute(0, 2, 1)
        cls = self.class_embedding.reshape(1, 1, w).expand(b, 1, w)
        x = torch.cat([cls, x], dim=1) + self.positional_embedding
        x = self.transformer(self.ln_pre(x))
        return self.ln_post(x[:, 0, :]) @ self.proj


class ClipImageTower(nn.Module):
    def __init__(self, s: ClipVisionSpec):
        super().__init__()
        self.visual = VisionTransformer(s)

    def forward(self, pixels):
        return self.visual(pixels)


class ClipWeightsError(RuntimeError):
    pass


def read_clip_visual_state(path: str | Path) -> Dict[str, torch.Tensor]:
    """`visual.*` tensors from an OpenAI CLIP archive (TorchScript `ViT-B-32.pt`) or an open_clip /
    plain state dict (`open_clip_pytorch_model.bin`)."""
    p = Path(path)
    if not p.exists():
        raise ClipWeightsError(f"CLIP weights not found: {p}")
    try:
        sd = torch.jit.load(str(p), map_location="cpu").state_dict()
    except Exception:
        try:
            sd = torch.load(str(p), map_location="cpu")
        except Exception as e:
            raise ClipWeightsError(f"cannot read CLIP weights {p}: {e}") from e
        if isinstance(sd, dict) and "state_dict" in sd:
            sd = sd["state_dict"]
    if not isinstance(sd, dict):
        raise ClipWeightsError(f"{p} holds no state dict")
    sd = {(k[len("module."):] if k.startswith("module.") else k): v for k, v in sd.items()}
    vis = {k: v.float() for k, v in sd.items() if k.startswith("visual.")}
    if not vis:
        raise ClipWeightsError(f"{p} has no 'visual.*' tensors: not an OpenAI-layout CLIP checkpoint")
    return vis


def spec_from_clip_state(vis: Dict[str, torch.Tensor]) -> ClipVisionSpec:
    try:
        width = vis["visual.conv1.weight"].shape[0]
        patch = vis["visual.conv1.weight"].shape[-1]
        layers = len({k.split(".")[3] for k in vis if k.startswith("visual.transformer.resblocks.")})
        grid = round((vis["visual.positional_embedding"].shape[0] - 1) ** 0.5)
        out = vis["visual.proj"].shape[1]
    except KeyError as e:
        raise ClipWeightsError(f"CLIP weights lack {e}: not a ViT image tower (ResNet CLIP is not supported)") from None
    return ClipVisionSpec(image_size=grid * patch, patch_size=patch, width=width, layers=layers,
                          heads=width // 64, output_dim=out)


def load_clip_tower(path: str | Path, expected: ClipVisionSpec) -> ClipImageTower:
    vis = read_clip_visual_state(path)
    got = spec_from_clip_state(vis)
    got.heads = expected.heads  # not recorded in the weights (OpenAI ViTs use width // 64)
    if got != expected:
        raise ClipWeightsError(f"CLIP weights are {got}, but the model config expects {expected} (ViT-B/32)")
    tower = ClipImageTower(expected)
    tower.load_state_dict(vis, strict=True)
    return tower.eval()
