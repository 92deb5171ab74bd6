"""The committed tiny pack and golden vectors (what the TypeScript runtime tests against)."""
import json
import shutil

import numpy as np
import pytest
import torch

from helpers import FIXTURES, goldens, load_tensor, require_ort
from parity_report import REPORT
from v2m_models.checkpoint import load_training_state
from v2m_models.clip_vision import ClipImageTower
from v2m_models.config import load_model_config
from v2m_models.export_modules import DitGraph, VaeDecoderGraph, torch_dit_fn, vddim_sample
from v2m_models.ort_node import run_onnx
from v2m_models.pack import PackError, graph_specs, torch_outputs, verify_pack
from v2m_models.tiny import onnx_sampler

PACK = FIXTURES / "pack"


def test_committed_pack_verifies():
    m = verify_pack(PACK)
    assert set(m["models"]) == {"clip_image", "rhythm_predictor", "dit", "vae_decoder"}
    for e in m["models"].values():
        assert set(e["files"]) == {"fp32", "fp16"}
    assert m["audio"]["latent_length"] == 64 and m["sampler"]["steps"] == 250
    tv = m["test_vectors"]
    from v2m_models.pack import sha256_file
    assert sha256_file(PACK / tv["path"]) == tv["sha256"] and tv["sampler"]["steps"] == 8


def test_corrupt_or_truncated_pack_is_refused(tmp_path):
    bad = tmp_path / "pack"
    shutil.copytree(PACK, bad)
    f = bad / "dit.onnx"
    data = bytearray(f.read_bytes())
    data[len(data) // 2] ^= 0xFF
    f.write_bytes(bytes(data))
    with pytest.raises(PackError, match="sha256"):
        verify_pack(bad)
    f.write_bytes(bytes(data[:100]))
    with pytest.raises(PackError, match="bytes"):
        verify_pack(bad)
    f.unlink()
    with pytest.raises(PackError, match="missing"):
        verify_pack(bad)


@pytest.fixture(scope="module")
def reference():
    spec = load_model_config(FIXTURES / "model_config.json")
    state, _ = load_training_state(spec, FIXTURES / "tiny_model.ckpt")
    clip = ClipImageTower(spec.clip)
    clip.load_state_dict(torch.load(FIXTURES / "tiny_clip.pt"), strict=True)
    return spec, state, clip.eval()


def test_pytorch_reproduces_goldens(reference):
    """The reference modules still compute the committed numbers (guards against silent changes)."""
    spec, state, clip = reference
    g, base = goldens()
    graphs = graph_specs(spec, state.diffusion, clip, state.diffusion.model.model)
    for name, case in g["cases"].items():
        module, ins, outs, _ = graphs[case["graph"]]
        inputs = {k: load_tensor(base, d) for k, d in case["inputs"].items()}
        ref = torch_outputs(module, ins, inputs)
        want = load_tensor(base, case["outputs"][outs[0]])
        assert float(np.abs(ref - want).max()) <= 1e-5, name
    s = g["sampler"]
    inp = {k: torch.from_numpy(load_tensor(base, d)) for k, d in s["inputs"].items()}
    odf = torch.from_numpy(load_tensor(base, s["outputs"]["odf_lr"]))
    cond = {k: inp[k] for k in ("clip_features", "feature_mask", "seconds_start", "seconds_total", "class_label")}
    cond["rhythm"] = odf
    latent = vddim_sample(torch_dit_fn(DitGraph(state.diffusion)), inp["noise"], cond, steps=s["steps"],
                          cfg_scale=s["cfg_scale"])
    assert float(np.abs(latent.numpy() - load_tensor(base, s["outputs"]["latent"])).max()) <= 1e-4


def test_committed_onnx_matches_goldens():
    require_ort()
    g, base = goldens()
    m = json.loads((PACK / "manifest.json").read_text())
    for name, case in g["cases"].items():
        inputs = {k: load_tensor(base, d) for k, d in case["inputs"].items()}
        got = run_onnx(PACK / m["models"][case["graph"]]["files"]["fp32"]["path"], inputs)
        for k, d in case["outputs"].items():
            diff = float(np.abs(got[k] - load_tensor(base, d)).max())
            REPORT[f"{name} fp32 committed pack vs goldens"] = diff
            assert diff <= g["tolerance_fp32"], name


def test_committed_pack_sampler_run_matches_goldens():
    """8-step v-DDIM with CFG 3.0 driven through the committed ONNX graphs."""
    require_ort()
    g, base = goldens()
    s = g["sampler"]
    m = json.loads((PACK / "manifest.json").read_text())
    case = {"steps": s["steps"], "cfg_scale": s["cfg_scale"],
            "inputs": {k: load_tensor(base, d) for k, d in s["inputs"].items()}}
    got = onnx_sampler(PACK, m, case, "fp32")
    for k in ("odf_lr", "latent", "audio"):
        diff = float(np.abs(got[k] - load_tensor(base, s["outputs"][k])).max())
        REPORT[f"sampler {k} fp32 (8 steps, CFG 3)"] = diff
        assert diff <= g["tolerance_fp32"], k


def test_goldens_schedule_and_steps_are_consistent():
    g, base = goldens()
    s = g["sampler"]
    t = load_tensor(base, s["schedule"]["t"])
    assert t.dtype == np.float32 and t.shape == (s["steps"],)
    assert np.allclose(t, 1 - np.arange(s["steps"]) / s["steps"], atol=1e-7)
    xs = load_tensor(base, s["outputs"]["x_per_step"])
    assert np.array_equal(xs[0], load_tensor(base, s["inputs"]["noise"]))
    # both FiLM branches (t > 0.2 and t <= 0.2) are exercised by the DiT golden case
    tt = load_tensor(base, g["cases"]["dit"]["inputs"]["t"])
    assert (tt > 0.2).any() and (tt <= 0.2).any()


def test_export_cli_round_trip(tmp_path):
    """`python -m v2m_models.export` on the committed tiny checkpoint gives a pack that verifies and
    reproduces the golden outputs under onnxruntime."""
    require_ort()
    from v2m_models.export import main
    out = tmp_path / "pack"
    rc = main(["--ckpt", str(FIXTURES / "tiny_model.ckpt"), "--config", str(FIXTURES / "model_config.json"),
               "--clip", str(FIXTURES / "tiny_clip.pt"), "--out", str(out), "--name", "roundtrip"])
    assert rc == 0
    m = verify_pack(out)
    assert m["name"] == "roundtrip" and m["source"]["dit_weights"] == "online"
    committed = json.loads((PACK / "manifest.json").read_text())
    for k in ("models", "audio", "sampler", "feature_recipes"):
        strip = lambda d: {n: {kk: vv for kk, vv in e.items() if kk != "files"} for n, e in d.items()} if k == "models" else d
        assert strip(m[k]) == strip(committed[k]), k
    g, base = goldens()
    for name, case in g["cases"].items():
        inputs = {k: load_tensor(base, d) for k, d in case["inputs"].items()}
        got = run_onnx(out / m["models"][case["graph"]]["files"]["fp32"]["path"], inputs)
        for k, d in case["outputs"].items():
            assert float(np.abs(got[k] - load_tensor(base, d)).max()) <= 1e-4, name


def test_export_cli_reports_a_wrong_checkpoint(tmp_path, capsys):
    from v2m_models.export import main
    bad = tmp_path / "model.ckpt"
    bad.write_bytes(b"not a checkpoint")
    rc = main(["--ckpt", str(bad), "--config", str(FIXTURES / "model_config.json"),
               "--clip", str(FIXTURES / "tiny_clip.pt"), "--out", str(tmp_path / "p")])
    assert rc == 2 and "cannot read checkpoint" in capsys.readouterr().err


def test_export_cli_random_weights(tmp_path):
    """`--random-weights` (used for GPU benchmarks of the full-size DiT) needs no checkpoint or CLIP file."""
    require_ort()
    from v2m_models.export import main
    out = tmp_path / "rand"
    assert main(["--random-weights", "--config", str(FIXTURES / "model_config.json"), "--out", str(out), "--no-fp16",
                 "--verify"]) == 0
    m = verify_pack(out)
    assert m["source"]["random_weights"] is True and set(m["models"]["dit"]["files"]) == {"fp32"}
