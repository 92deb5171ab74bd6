"""The Oobleck VAE of Stable Audio Open (`diffusion.pretransform.model.{encoder,decoder}.*` in the
checkpoint): weight-normed convolutions, SnakeBeta activations, the VAE bottleneck, the pretransform scale.
"""
from __future__ import annotations

import math
from typing import Optional

import torch
from torch import nn
from torch.nn import functional as F
from torch.nn.utils import weight_norm

from .config import ModelSpec, OobleckSpec


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
