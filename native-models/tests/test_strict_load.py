"""Loading a checkpoint laid out like model_odf.ckpt, with strict=True."""
import json

import pytest
import torch

from published_schema import count, training_wrapper_schema
from v2m_models.checkpoint import CheckpointError, dit_weights, load_training_state, save_lightning_like
from v2m_models.conditioners import MultiConditioner
from v2m_models.config import load_model_config, parse_model_config, published_config_path, tiny_config_path
from v2m_models.dit import DiTWrapper


def synthetic_checkpoint(path, raw_cfg, with_ema=True, seed=0, drop=None, reshape=None, extra=None):
    """Random tensors under the published names and shapes (from the independent schema)."""
    g = torch.Generator().manual_seed(seed)
    sd = {}
    for k, shape in training_wrapper_schema(raw_cfg, with_ema).items():
        if k == "diffusion_ema.step":
            sd[k] = torch.tensor([1234])
        else:
            sd[k] = torch.randn(shape, generator=g)
    if drop:
        del sd[drop]
    if reshape:
        sd[reshape] = torch.randn(3, 3)
    if extra:
        sd[extra] = torch.zeros(1)
    # a Lightning checkpoint also holds optimiser and loop state next to the weights
    torch.save({"state_dict": sd, "epoch": 41, "global_step": 99, "optimizer_states": [{"state": {}}],
                "lr_schedulers": [], "pytorch-lightning_version": "2.1.0"}, str(path))
    return sd


@pytest.fixture(scope="module")
def tiny_raw():
    return json.loads(open(tiny_config_path()).read())


def test_strict_load_of_published_layout(tmp_path, tiny_raw):
    sd = synthetic_checkpoint(tmp_path / "model.ckpt", tiny_raw)
    state, info = load_training_state(parse_model_config(tiny_raw), tmp_path / "model.ckpt")
    assert info == {"keys": len(sd), "has_ema": True}
    got = state.state_dict()
    assert set(got) == set(sd)
    for k in sd:
        assert torch.equal(got[k], sd[k].to(got[k].dtype)), k
    # the online DiT (what the released inference samples with) and the EMA copy are distinct
    online, ema = dit_weights(state, "online"), dit_weights(state, "ema")
    w = "transformer.layers.0.cross_attn1.to_kv.weight"
    assert torch.equal(online.state_dict()[w], sd["diffusion.model.model." + w])
    assert torch.equal(ema.state_dict()[w], sd["diffusion_ema.ema_model.model." + w])


def test_exported_layout_and_no_ema(tmp_path, tiny_raw):
    sd = synthetic_checkpoint(tmp_path / "a.ckpt", tiny_raw, with_ema=False)
    exported = {k[len("diffusion."):]: v for k, v in sd.items()}  # export_model() writes diffusion.state_dict()
    torch.save({"state_dict": exported}, str(tmp_path / "b.ckpt"))
    state, info = load_training_state(parse_model_config(tiny_raw), tmp_path / "b.ckpt")
    assert info["has_ema"] is False
    with pytest.raises(CheckpointError, match="no EMA"):
        dit_weights(state, "ema")


@pytest.mark.parametrize("kind", ["drop", "reshape", "extra"])
def test_mismatched_checkpoint_is_refused(tmp_path, tiny_raw, kind):
    key = "diffusion.model.model.transformer.layers.1.FiLM_beta_rhy.2.weight"
    synthetic_checkpoint(tmp_path / "m.ckpt", tiny_raw, drop=key if kind == "drop" else None,
                         reshape=key if kind == "reshape" else None,
                         extra="diffusion.model.model.something_new" if kind == "extra" else None)
    with pytest.raises(CheckpointError, match={"drop": "missing", "reshape": "other shapes", "extra": "not in this model"}[kind]):
        load_training_state(parse_model_config(tiny_raw), tmp_path / "m.ckpt")


def test_checkpoint_for_another_config_is_refused(tmp_path, tiny_raw):
    synthetic_checkpoint(tmp_path / "m.ckpt", tiny_raw)
    other = json.loads(json.dumps(tiny_raw))
    other["model"]["diffusion"]["config"]["depth"] = 3
    with pytest.raises(CheckpointError, match="model_config_odf.json that belongs"):
        load_training_state(parse_model_config(other), tmp_path / "m.ckpt")


def test_not_a_checkpoint(tmp_path, tiny_raw):
    p = tmp_path / "x.ckpt"
    p.write_bytes(b"<html>404</html>")
    with pytest.raises(CheckpointError, match="cannot read"):
        load_training_state(parse_model_config(tiny_raw), p)
    torch.save({"hello": "world"}, str(p))
    with pytest.raises(CheckpointError, match="no state dict"):
        load_training_state(parse_model_config(tiny_raw), p)
    with pytest.raises(CheckpointError, match="not found"):
        load_training_state(parse_model_config(tiny_raw), tmp_path / "missing.ckpt")


def test_full_width_names_and_shapes():
    """The published config's DiT and conditioners at full width (depth cut to 1 to spare memory)
    have exactly the published names and shapes."""
    raw = json.loads(open(published_config_path()).read())
    raw["model"]["diffusion"]["config"]["depth"] = 1
    semantic = next(c for c in raw["model"]["conditioning"]["configs"] if c["id"] == "semantic")
    semantic["config"]["extractor_depth"] = 1
    spec = parse_model_config(raw)
    schema = training_wrapper_schema(raw, with_ema=False)
    dit = {"diffusion.model." + k: tuple(v.shape) for k, v in DiTWrapper(spec).state_dict().items()}
    cond = {"diffusion.conditioner." + k: tuple(v.shape) for k, v in MultiConditioner(spec).state_dict().items()}
    want = {k: v for k, v in schema.items() if not k.startswith("diffusion.pretransform.")}
    assert {**dit, **cond} == want


def test_full_size_parameter_count_from_schema():
    raw = json.loads(open(published_config_path()).read())
    s = training_wrapper_schema(raw)
    # 24 blocks of 57.5 M (self-attn 9.4 M, 3 cross-attn 17.7 M, FiLM 1.6 M, SwiGLU FFN 28.3 M) + embeddings;
    # buffers (bias-less LayerNorm betas, rotary frequencies) are not parameters
    params = {k: v for k, v in s.items() if k.startswith("diffusion.model.model.")
              and not k.endswith("norm.beta") and not k.endswith("inv_freq")}
    assert count(params) == 1380657280
    assert count(s, "diffusion.pretransform.model.decoder.") == 78122626
