"""A run stopped and resumed from its checkpoint ends bit for bit where an uninterrupted run ends
(CPU, one process), with the stop in the middle of an epoch and gradient accumulation on."""
from pathlib import Path

import numpy as np
import pytest
import torch

from synthetic import synthetic_folder
from v2m_models.checkpoint import CheckpointError, load_training_state
from v2m_models.config import load_model_config, tiny_config_path
from v2m_models.diff_v2m import DiffV2MTrainingState
from v2m_models.train import read_training_checkpoint, train

SPEC = load_model_config(tiny_config_path())
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tiny"
# 10 examples, batch 2, 2 micro-batches per step: 5 micro-batches per epoch, so steps straddle epochs
RUN = dict(batch_size=2, accum=2, lr=3e-3, seed=7, epochs=None, log=lambda *_: None)


def fresh():
    torch.manual_seed(0)
    return DiffV2MTrainingState(SPEC)


def same(a, b, where=""):
    if isinstance(a, torch.Tensor):
        assert isinstance(b, torch.Tensor) and a.dtype == b.dtype and torch.equal(a, b), where
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), where
        for k in a:
            same(a[k], b[k], f"{where}.{k}")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            same(x, y, f"{where}[{i}]")
    elif isinstance(a, np.ndarray):
        assert np.array_equal(a, b), where
    else:
        assert a == b, where


@pytest.mark.parametrize("audio", [False, True], ids=["pre-encoded", "vae-on-the-fly"])
def test_resume_is_bit_exact(tmp_path, audio):
    data = synthetic_folder(SPEC, tmp_path / "data", n=10, shard_size=3, audio=audio, ragged=True)
    train(SPEC, fresh(), data, steps=6, out=tmp_path / "a", **RUN)
    train(SPEC, fresh(), data, steps=2, out=tmp_path / "b", checkpoint_every=2, **RUN)
    stopped = read_training_checkpoint(tmp_path / "b" / "last.ckpt")["v2m_training"]
    assert (stopped["epoch"], stopped["batch_in_epoch"]) == (0, 4), "the stop is in the middle of epoch 0"
    train(SPEC, fresh(), data, steps=6, out=tmp_path / "b", resume=tmp_path / "b" / "last.ckpt", **RUN)
    a = read_training_checkpoint(tmp_path / "a" / "last.ckpt")
    b = read_training_checkpoint(tmp_path / "b" / "last.ckpt")
    assert a["global_step"] == b["global_step"] == 6 and a["epoch"] == b["epoch"] == 2
    same(a["state_dict"], b["state_dict"], "state_dict")
    same(a["optimizer_states"], b["optimizer_states"], "optimizer")
    same(a["lr_schedulers"], b["lr_schedulers"], "scheduler")
    ta, tb = a["v2m_training"], b["v2m_training"]
    same(ta["history"], tb["history"], "history")
    for k in ("trainer", "torch", "sobol_drawn"):
        same(ta["rng"][k], tb["rng"][k], k)
    assert int(a["state_dict"]["diffusion_ema.step"]) == 6
    # what a step checkpoint holds is an ordinary published-layout checkpoint for the exporter
    state, info = load_training_state(SPEC, tmp_path / "b" / "step-00000002.ckpt")
    assert info["has_ema"] and sorted(p.name for p in (tmp_path / "b").glob("step-*.ckpt")) == [
        "step-00000002.ckpt", "step-00000006.ckpt"]


def test_resume_refuses_other_layouts(tmp_path):
    data = synthetic_folder(SPEC, tmp_path / "data", n=4)
    train(SPEC, fresh(), data, steps=1, out=tmp_path / "a", **RUN)
    with pytest.raises(CheckpointError, match="same --nproc_per_node, --batch-size"):
        train(SPEC, fresh(), data, steps=2, out=tmp_path / "a", resume=tmp_path / "a" / "last.ckpt",
              **{**RUN, "batch_size": 1})
    with pytest.raises(CheckpointError, match="no training state.*--init"):
        train(SPEC, fresh(), data, steps=2, resume=FIXTURES / "tiny_model.ckpt", **RUN)


def test_clear_errors(tmp_path, capsys):
    from v2m_models.train import RunOptions, Trainer, main
    with pytest.raises(ValueError, match="for CUDA devices; on the CPU train in fp32"):
        Trainer(SPEC, fresh(), RunOptions(precision="bf16"))
    with pytest.raises(SystemExit) as e:
        main(["--config", "tiny", "--data", str(tmp_path / "none"), "--out", str(tmp_path / "o"), "--steps", "1"])
    assert e.value.code == 2 and "no index.json" in capsys.readouterr().err
