"""The reference v-DDIM + CFG sampler that produced the golden run."""
import math

import torch

from v2m_models.export_modules import cfg_denoise, vddim_sample


def test_oracle_denoiser_recovers_x0():
    """A denoiser that knows x0 returns v = α·ε − σ·x0 with ε = (x − α·x0)/σ; the loop must land on x0."""
    g = torch.Generator().manual_seed(0)
    x0 = torch.randn(2, 4, 16, generator=g)

    def oracle(x, t, cond):
        a, s = torch.cos(t * math.pi / 2)[:, None, None], torch.sin(t * math.pi / 2)[:, None, None]
        eps = (x - a * x0.repeat(x.shape[0] // 2, 1, 1)) / s
        return a * eps - s * x0.repeat(x.shape[0] // 2, 1, 1)

    noise = torch.randn(2, 4, 16, generator=g)
    out = vddim_sample(oracle, noise, {"c": torch.zeros(2, 1)}, steps=10, cfg_scale=1.0)
    assert torch.allclose(out, x0, atol=1e-4)


def test_cfg_combines_a_doubled_batch():
    seen = {}

    def fake(x, t, cond):
        seen["uncond"] = cond["uncond"].clone()
        seen["batch"] = x.shape[0]
        return torch.where(cond["uncond"][:, None, None] > 0, torch.ones_like(x), 3 * torch.ones_like(x))

    v = cfg_denoise(fake, torch.zeros(2, 3, 5), 0.5, {"c": torch.zeros(2, 4)}, 3.0)
    assert seen["batch"] == 4 and seen["uncond"].tolist() == [0, 0, 1, 1]
    assert torch.allclose(v, torch.full_like(v, 1 + (3 - 1) * 3.0))
