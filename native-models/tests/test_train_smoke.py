"""A few training steps of the tiny config on synthetic (video, music) pairs, on the CPU."""
import numpy as np
import pytest
import torch

from v2m_models.checkpoint import load_training_state
from v2m_models.config import load_model_config, tiny_config_path
from v2m_models.diff_v2m import DiffV2MTrainingState
from synthetic import synthetic_pairs
from v2m_models.train import inverse_lr, p_pred, real_rhythm, train


def test_schedules():
    assert [p_pred(e) for e in (0, 9, 10, 20, 30, 45)] == [0.0, 0.0, 0.0, 0.5, 1.0, 1.0]
    assert inverse_lr(0) == pytest.approx(0.01)
    assert inverse_lr(10_000) == pytest.approx((1 - 0.99 ** 10_001) * (1.01) ** -0.5)
    r = real_rhythm(np.array([0, 1, 2, 3], np.float32), 6)
    assert r.shape == (6,) and abs(r.mean()) < 1e-6 and r.std(ddof=1) == pytest.approx(1, abs=1e-5)


def test_training_smoke(tmp_path):
    torch.manual_seed(0)
    spec = load_model_config(tiny_config_path())
    state = DiffV2MTrainingState(spec)
    vae_before = {k: v.clone() for k, v in state.diffusion.pretransform.state_dict().items()}
    hist = train(spec, state, synthetic_pairs(spec), epochs=30, batch_size=4, out=tmp_path, lr=3e-3, seed=0,
                 log=lambda *_: None)
    first = np.mean([h["diffusion"] for h in hist[:10]])
    last = np.mean([h["diffusion"] for h in hist[-10:]])
    r_first = np.mean([h["rhythm"] for h in hist[:10]])
    r_last = np.mean([h["rhythm"] for h in hist[-10:]])
    print(f"diffusion loss {first:.3f} -> {last:.3f}; rhythm loss {r_first:.3f} -> {r_last:.3f}")
    assert last < 0.7 * first
    assert r_last < 0.7 * r_first
    # the VAE stays frozen; the EMA moved away from its initial copy
    for k, v in state.diffusion.pretransform.state_dict().items():
        assert torch.equal(v, vae_before[k]), k
    assert int(state.diffusion_ema.step) == len(hist) and float(state.diffusion_ema.initted) == 1.0
    # the checkpoint is in the published layout and loads strictly, ready for export
    loaded, info = load_training_state(spec, tmp_path / "last.ckpt")
    assert info["has_ema"]
    w = "transformer.layers.0.cross_attn2.to_q.weight"
    assert torch.equal(loaded.diffusion.model.model.state_dict()[w], state.diffusion.model.model.state_dict()[w])
    assert not torch.equal(loaded.diffusion_ema.ema_model.model.state_dict()[w], loaded.diffusion.model.model.state_dict()[w])
