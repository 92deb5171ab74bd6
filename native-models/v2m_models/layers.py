"""Transformer pieces of the Diff-V2M DiT and rhythm extractor.

Parameter and buffer names follow the released checkpoint's state dict (stable-audio-tools'
`continuous_transformer` as modified by Diff-V2M); the code is ours and written so that
torch 1.13 exports it to ONNX (no einops, no fused attention, no data-dependent Python control).
"""
from __future__ import annotations

import math
from typing import List, Optional, Tuple

import torch
from torch import nn
from torch.nn import functional as F


class LayerNorm(nn.Module):
    """Bias-free layer norm: a learned `gamma` and a constant zero `beta` buffer (saved in the state dict)."""

    def __init__(self, dim: int, eps: float = 1e-5):
        super().__init__()
        self.gamma = nn.Parameter(torch.ones(dim))
        self.register_buffer("beta", torch.zeros(dim))
        self.eps = eps
        self.dim = dim

    def forward(self, x):
        return F.layer_norm(x, (self.dim,), weight=self.gamma, bias=self.beta, eps=self.eps)


class RotaryEmbedding(nn.Module):
    """Rotary tables in float32 (the released code disables autocast here); the fp16 export keeps
    this module in float32 too, since angles of up to ~L radians need more than fp16 precision."""

    def __init__(self, dim: int, base: float = 10000.0):
        super().__init__()
        self.register_buffer("inv_freq", 1.0 / (base ** (torch.arange(0, dim, 2).float() / dim)))

    def forward(self, seq_like: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """cos and sin tables for positions 0..n-1, n = seq_like.shape[1]; each (n, dim)."""
        pos = torch.ones_like(seq_like[0, :, 0], dtype=torch.float32).cumsum(0) - 1.0
        freqs = pos[:, None] * self.inv_freq.float()[None, :]
        freqs = torch.cat((freqs, freqs), dim=-1)
        return freqs.cos(), freqs.sin()


def _rotate_half(x):
    half = x.shape[-1] // 2
    x1 = x[..., :half]
    x2 = x[..., half:]
    return torch.cat((-x2, x1), dim=-1)


def apply_rotary(t: torch.Tensor, rotary: Tuple[torch.Tensor, torch.Tensor]) -> torch.Tensor:
    """Partial rotary embedding on the first `rot` features of each head (GPT-J style)."""
    cos, sin = rotary
    rot = cos.shape[-1]
    if rot == t.shape[-1]:
        return t * cos + _rotate_half(t) * sin
    tr, tu = t[..., :rot], t[..., rot:]
    return torch.cat((tr * cos + _rotate_half(tr) * sin, tu), dim=-1)


class Attention(nn.Module):
    """Multi-head attention; with a context of another width the keys/values have fewer heads
    (context_dim // head width), each shared by consecutive query heads."""

    def __init__(self, dim: int, dim_heads: int = 64, dim_context: Optional[int] = None):
        super().__init__()
        self.dim = dim
        self.dim_heads = dim_heads
        self.num_heads = dim // dim_heads
        dim_kv = dim_context if dim_context is not None else dim
        self.kv_heads = dim_kv // dim_heads
        self.cross = dim_context is not None
        if self.cross:
            self.to_q = nn.Linear(dim, dim, bias=False)
            self.to_kv = nn.Linear(dim_kv, dim_kv * 2, bias=False)
        else:
            self.to_qkv = nn.Linear(dim, dim * 3, bias=False)
        self.to_out = nn.Linear(dim, dim, bias=False)
        nn.init.zeros_(self.to_out.weight)

    def _heads(self, t, h):
        b, n, _ = t.shape
        return t.reshape(b, n, h, self.dim_heads).permute(0, 2, 1, 3)

    def forward(self, x, context=None, context_mask=None, rotary=None):
        h, kvh = self.num_heads, self.kv_heads
        if self.cross:
            q = self._heads(self.to_q(x), h)
            k, v = self.to_kv(context).chunk(2, dim=-1)
            k, v = self._heads(k, kvh), self._heads(v, kvh)
        else:
            q, k, v = self.to_qkv(x).chunk(3, dim=-1)
            q, k, v = self._heads(q, h), self._heads(k, h), self._heads(v, h)
            if rotary is not None:
                q = apply_rotary(q, rotary)
                k = apply_rotary(k, rotary)
        b, _, n, d = q.shape
        r = h // kvh
        # query head i uses key/value head i // r (repeat_interleave of the kv heads)
        q = q.reshape(b, kvh, r, n, d)
        k = k.unsqueeze(2)
        v = v.unsqueeze(2)
        dots = torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(self.dim_heads))
        if context_mask is not None:
            keep = context_mask[:, None, None, None, :]
            dots = dots.masked_fill(~keep, -torch.finfo(dots.dtype).max)
        attn = torch.softmax(dots, dim=-1)
        out = torch.matmul(attn, v)  # b, kvh, r, n, d
        out = out.reshape(b, h, n, d).permute(0, 2, 1, 3).reshape(b, n, h * d)
        return self.to_out(out)


class GLU(nn.Module):
    def __init__(self, dim_in: int, dim_out: int):
        super().__init__()
        self.proj = nn.Linear(dim_in, dim_out * 2)

    def forward(self, x):
        x, gate = self.proj(x).chunk(2, dim=-1)
        return x * F.silu(gate)


class FeedForward(nn.Module):
    """SwiGLU feed-forward; `ff.0` is the gated input projection and `ff.2` the output (1 and 3 are identities)."""

    def __init__(self, dim: int, mult: int = 4):
        super().__init__()
        inner = int(dim * mult)
        out = nn.Linear(inner, dim)
        nn.init.zeros_(out.weight)
        nn.init.zeros_(out.bias)
        self.ff = nn.Sequential(GLU(dim, inner), nn.Identity(), out, nn.Identity())

    def forward(self, x):
        return self.ff(x)


def _film_mlp(t_dim: int, hidden: int, out_dim: int, sigmoid: bool) -> nn.Sequential:
    layers = [nn.Linear(t_dim, hidden), nn.ReLU(), nn.Linear(hidden, out_dim)]
    if sigmoid:
        layers.append(nn.Sigmoid())
    return nn.Sequential(*layers)


class TransformerBlock(nn.Module):
    """One block. Without cross-attention (rhythm extractor): pre-norm self-attention + FFN.

    With cross-attention (the DiT, `FiLM_choose`), as the released code computes it:
        x = x + self_attn(pre_norm(x))
        x = cross_attend_norm(x)                       # replaces x, no residual around the norm
        x = color_norm(x + cross_attn0(x, ctx[2]))      # first ("emotion") cross-attention
        sem = cross_attn1(x, ctx[0]) * g_sem(t) + b_sem(t)
        rhy = cross_attn2(x, ctx[1]) * g_rhy(t) + b_rhy(t)
        x = x + (sem if t > 0.2 else rhy)              # per batch item
        x = x + ff(ff_norm(x))
    """

    def __init__(self, dim: int, dim_heads: int, cross_attend: bool = False, dim_context: Optional[int] = None,
                 film_t_dim: int = 64, film_hidden: int = 256):
        super().__init__()
        self.cross_attend = cross_attend
        self.pre_norm = LayerNorm(dim)
        self.self_attn = Attention(dim, dim_heads=dim_heads)
        if cross_attend:
            self.cross_attend_norm = LayerNorm(dim)
            self.cross_attn0 = Attention(dim, dim_heads=dim_heads, dim_context=dim_context)
            self.cross_attn1 = Attention(dim, dim_heads=dim_heads, dim_context=dim_context)
            self.cross_attn2 = Attention(dim, dim_heads=dim_heads, dim_context=dim_context)
            self.t_linear = nn.Linear(1, film_t_dim)
            self.FiLM_gamma_sem = _film_mlp(film_t_dim, film_hidden, dim, True)
            self.FiLM_gamma_rhy = _film_mlp(film_t_dim, film_hidden, dim, True)
            self.FiLM_beta_sem = _film_mlp(film_t_dim, film_hidden, dim, False)
            self.FiLM_beta_rhy = _film_mlp(film_t_dim, film_hidden, dim, False)
            self.color_norm = LayerNorm(dim)
        self.ff_norm = LayerNorm(dim)
        self.ff = FeedForward(dim)

    def forward(self, x, rotary, t=None, context: Optional[List[torch.Tensor]] = None,
                context_mask: Optional[List[torch.Tensor]] = None):
        x = x + self.self_attn(self.pre_norm(x), rotary=rotary)
        if self.cross_attend and context is not None:
            x = self.cross_attend_norm(x)
            if len(context) == 3:
                x = self.color_norm(x + self.cross_attn0(x, context=context[2], context_mask=context_mask[2]))
            t_embed = self.t_linear(t.unsqueeze(-1))
            g_sem = self.FiLM_gamma_sem(t_embed).unsqueeze(1)
            g_rhy = self.FiLM_gamma_rhy(t_embed).unsqueeze(1)
            b_sem = self.FiLM_beta_sem(t_embed).unsqueeze(1)
            b_rhy = self.FiLM_beta_rhy(t_embed).unsqueeze(1)
            sem = self.cross_attn1(x, context=context[0], context_mask=context_mask[0]) * g_sem + b_sem
            rhy = self.cross_attn2(x, context=context[1], context_mask=context_mask[1]) * g_rhy + b_rhy
            x = x + torch.where((t > 0.2).reshape(-1, 1, 1), sem, rhy)
        return x + self.ff(self.ff_norm(x))


class ContinuousTransformer(nn.Module):
    def __init__(self, dim: int, depth: int, dim_heads: int, dim_in: int, dim_out: int,
                 cross_attend: bool = False, cond_token_dim: Optional[int] = None, **block_kwargs):
        super().__init__()
        self.project_in = nn.Linear(dim_in, dim, bias=False)
        self.project_out = nn.Linear(dim, dim_out, bias=False)
        self.rotary_pos_emb = RotaryEmbedding(max(dim_heads // 2, 32))
        self.layers = nn.ModuleList([
            TransformerBlock(dim, dim_heads, cross_attend=cross_attend, dim_context=cond_token_dim, **block_kwargs)
            for _ in range(depth)
        ])

    def forward(self, x, t=None, prepend_embeds=None, context=None, context_mask=None):
        x = self.project_in(x)
        if prepend_embeds is not None:
            x = torch.cat((prepend_embeds, x), dim=-2)
        rotary = self.rotary_pos_emb(x)
        for layer in self.layers:
            x = layer(x, rotary, t=t, context=context, context_mask=context_mask)
        return self.project_out(x)


# The extractor's transformer has the same layout without cross-attention.
ExtractorTransformer = ContinuousTransformer
