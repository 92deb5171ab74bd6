"""Export each graph of the tiny model and compare onnxruntime (CPU) with PyTorch.

Inputs use another batch size, clip length and latent length than the export trace, so the
dynamic axes are exercised too."""
import json

import numpy as np
import pytest
import torch

from helpers import FIXTURES, require_ort
from parity_report import REPORT
from v2m_models.checkpoint import load_training_state
from v2m_models.clip_vision import ClipImageTower
from v2m_models.config import load_model_config
from v2m_models.onnx_io import export_graph, io_description
from v2m_models.ort_node import run_onnx
from v2m_models.pack import example_inputs, graph_specs, torch_outputs, write_pack


@pytest.fixture(scope="module")
def tiny():
    spec = load_model_config(FIXTURES / "model_config.json")
    state, _ = load_training_state(spec, FIXTURES / "tiny_model.ckpt")
    clip = ClipImageTower(spec.clip)
    clip.load_state_dict(torch.load(FIXTURES / "tiny_clip.pt"), strict=True)
    return spec, state, clip.eval()


@pytest.fixture(scope="module")
def exported(tiny, tmp_path_factory):
    require_ort()
    spec, state, clip = tiny
    out = tmp_path_factory.mktemp("pack")
    manifest = write_pack(out, spec, state.diffusion, clip, state.diffusion.model.model, name="t", source={},
                          licence={}, log=lambda *_: None)
    return out, manifest


@pytest.mark.parametrize("graph", ["clip_image", "rhythm_predictor", "dit", "vae_decoder"])
def test_fp32_parity(tiny, exported, graph):
    spec, state, clip = tiny
    out, manifest = exported
    module, ins, outs, _ = graph_specs(spec, state.diffusion, clip, state.diffusion.model.model)[graph]
    ex = example_inputs(spec, batch=3, seconds=spec.max_seconds - 1, latent_length=40, seed=5)[graph]
    inputs = {n: ex[n] for n in ins}
    ref = torch_outputs(module, ins, inputs)
    got = run_onnx(out / manifest["models"][graph]["files"]["fp32"]["path"], inputs)[outs[0]]
    assert got.shape == ref.shape
    diff = float(np.abs(got - ref).max())
    REPORT[f"{graph} fp32 (exported here)"] = diff
    assert diff <= 1e-4
    assert np.abs(ref).max() > 0.05  # outputs of order one, so the tolerance is meaningful


@pytest.mark.parametrize("graph", ["clip_image", "rhythm_predictor", "dit", "vae_decoder"])
def test_fp16_variant_tracks_fp32(tiny, exported, graph):
    spec, state, clip = tiny
    out, manifest = exported
    module, ins, outs, _ = graph_specs(spec, state.diffusion, clip, state.diffusion.model.model)[graph]
    ex = example_inputs(spec, batch=2, latent_length=24, seed=6)[graph]
    inputs = {n: ex[n] for n in ins}
    ref = torch_outputs(module, ins, inputs)
    got = run_onnx(out / manifest["models"][graph]["files"]["fp16"]["path"], inputs)[outs[0]]
    assert got.dtype == np.float32
    diff = float(np.abs(got - ref).max())
    REPORT[f"{graph} fp16 (exported here)"] = diff
    import onnx
    m = onnx.load(str(out / manifest["models"][graph]["files"]["fp16"]["path"]))
    nbytes = {1: 0, 10: 0}
    for t in m.graph.initializer:
        nbytes[t.data_type] = nbytes.get(t.data_type, 0) + len(t.raw_data)
    assert nbytes[10] > 0.95 * (nbytes[10] + nbytes[1])  # the weights really are half precision
    assert diff <= 2e-2 * max(1.0, float(np.abs(ref).max()))


def test_external_data_round_trip(tiny, tmp_path):
    """Graphs over 2 GB are written with their weights in `<name>.data`; forced here on the tiny DiT."""
    require_ort()
    spec, state, clip = tiny
    module, ins, outs, axes = graph_specs(spec, state.diffusion, clip, state.diffusion.model.model)["dit"]
    ex = example_inputs(spec, batch=2, latent_length=16)["dit"]
    files = export_graph(module, tuple(torch.from_numpy(ex[n]) for n in ins), tmp_path / "dit.onnx", ins, outs, axes,
                         external=True)
    assert [f.name for f in files] == ["dit.onnx", "dit.onnx.data"]
    assert files[1].stat().st_size > files[0].stat().st_size  # the weights left the graph file
    assert [i["name"] for i in io_description(files[0])["inputs"]] == ins
    got = run_onnx(files[0], {n: ex[n] for n in ins})["v"]
    diff = float(np.abs(got - torch_outputs(module, ins, ex)).max())
    REPORT["dit fp32 external data"] = diff
    assert diff <= 1e-4


def test_manifest_describes_io(exported):
    _, manifest = exported
    dit = manifest["models"]["dit"]
    names = [i["name"] for i in dit["inputs"]]
    assert names == ["x", "t", "clip_features", "rhythm", "feature_mask", "seconds_start", "seconds_total",
                     "class_label", "uncond"]
    shapes = {i["name"]: i["shape"] for i in dit["inputs"]}
    assert shapes["x"] == ["batch", 8, "latent_length"] and shapes["clip_features"] == ["batch", "seconds", 16]
    assert {i["name"]: i["dtype"] for i in dit["inputs"]}["class_label"] == "int64"
    assert manifest["models"]["vae_decoder"]["outputs"] == [{"name": "audio", "dtype": "float32",
                                                             "shape": ["batch", 2, "samples"]}]
    assert manifest["sampler"]["steps"] == 250 and manifest["sampler"]["cfg_scale"] == 3.0


def test_paper_colour_variant(tmp_path):
    """colour_context 'color' (the paper's wiring) adds colour inputs to dit.onnx and changes the output."""
    require_ort()
    raw = json.loads((FIXTURES / "model_config.json").read_text())
    raw["model"]["colour_context"] = "color"
    from v2m_models.config import parse_model_config
    from v2m_models.tiny import build_tiny
    spec = parse_model_config(raw)
    state, clip = build_tiny(spec, seed=3)
    module, ins, outs, axes = graph_specs(spec, state.diffusion, clip, state.diffusion.model.model)["dit"]
    assert ins[-2:] == ["color", "color_mask"]
    ex = example_inputs(spec, batch=2, latent_length=12, seed=2)["dit"]
    files = export_graph(module, tuple(torch.from_numpy(ex[n]) for n in ins), tmp_path / "dit.onnx", ins, outs, axes)
    ref = torch_outputs(module, ins, ex)
    got = run_onnx(files[0], ex)["v"]
    REPORT["dit fp32 colour variant"] = float(np.abs(got - ref).max())
    assert np.abs(got - ref).max() <= 1e-4
    other = dict(ex, color=ex["color"][::-1].copy())
    assert np.abs(torch_outputs(module, ins, other) - ref).max() > 1e-3


def test_released_wiring_ignores_colour(tiny):
    """In the released code the first cross-attention sees the rhythm group, so colour cannot matter;
    changing the rhythm does change the output."""
    spec, state, clip = tiny
    module, ins, _, _ = graph_specs(spec, state.diffusion, clip, state.diffusion.model.model)["dit"]
    assert "color" not in ins
    ex = example_inputs(spec, batch=2, latent_length=12, seed=2)["dit"]
    ref = torch_outputs(module, ins, ex)
    moved = dict(ex, rhythm=ex["rhythm"] + 1.0)
    assert np.abs(torch_outputs(module, ins, moved) - ref).max() > 1e-3


def test_partial_rotary_at_head_width_64(tmp_path):
    """The full model's heads are 64 wide with a 32-wide rotary part (the tiny config rotates all 32):
    check the rotation against the formula and the exported DiT against PyTorch at that width."""
    from v2m_models.layers import RotaryEmbedding, apply_rotary
    rot = RotaryEmbedding(32)
    x = torch.randn(1, 2, 5, 64)
    cos, sin = rot(torch.zeros(1, 5, 8))
    y = apply_rotary(x, (cos, sin)).numpy()
    pos = np.arange(5)[:, None]
    inv = 1.0 / (10000 ** (np.arange(0, 32, 2) / 32))
    ang = np.concatenate([pos * inv, pos * inv], axis=1)
    xr = x.numpy()[..., :32]
    rotated = xr * np.cos(ang) + np.concatenate([-xr[..., 16:], xr[..., :16]], axis=-1) * np.sin(ang)
    assert np.allclose(y[..., :32], rotated, atol=1e-5) and np.array_equal(y[..., 32:], x.numpy()[..., 32:])

    require_ort()
    raw = json.loads((FIXTURES / "model_config.json").read_text())
    dcfg = raw["model"]["diffusion"]["config"]
    dcfg.update(embed_dim=128, num_heads=2, cond_token_dim=64, global_cond_dim=192, depth=1)
    raw["model"]["conditioning"]["cond_dim"] = 64
    from v2m_models.config import parse_model_config
    from v2m_models.tiny import build_tiny
    spec = parse_model_config(raw)
    state, clip = build_tiny(spec, seed=4)
    module, ins, outs, axes = graph_specs(spec, state.diffusion, clip, state.diffusion.model.model)["dit"]
    ex = example_inputs(spec, batch=2, latent_length=20, seed=9)["dit"]
    files = export_graph(module, tuple(torch.from_numpy(ex[n]) for n in ins), tmp_path / "dit.onnx", ins, outs, axes)
    ex2 = example_inputs(spec, batch=1, latent_length=33, seed=10)["dit"]
    diff = float(np.abs(run_onnx(files[0], ex2)["v"] - torch_outputs(module, ins, ex2)).max())
    REPORT["dit fp32 head width 64 (partial rotary)"] = diff
    assert diff <= 1e-4
