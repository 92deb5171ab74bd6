"""Two training processes under torchrun (gloo, CPU) on the tiny config: the loss goes down, the
gradients match one process on the same global batch, the two processes together use every
example once per epoch, and the run follows the one-process run with the doubled batch."""
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from synthetic import synthetic_folder
from v2m_models.config import load_model_config, tiny_config_path

ROOT = Path(__file__).resolve().parents[2]
SPEC = load_model_config(tiny_config_path())
N = 10  # examples; 2 processes x batch 2 -> 3 global batches per epoch, the last with 2 pads


def launch(nproc, data, out, batch, steps=20, extra=()):
    # native-models/torchrun.py = torchrun, repaired for torch 1.13 on Python 3.11 (see its docstring)
    cmd = [sys.executable, str(ROOT / "native-models" / "torchrun.py"), "--standalone", f"--nproc_per_node={nproc}",
           str(ROOT / "native-models" / "train.py"), "--config", "tiny", "--data", str(data), "--steps", str(steps),
           "--backend", "gloo", "--out", str(out), "--batch-size", str(batch), "--lr", "3e-3", "--workers", "0",
           "--log-every", "5", "--checkpoint-every", "10", *extra]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    return p.stdout, json.loads((out / "history.json").read_text())


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ddp")
    data = synthetic_folder(SPEC, tmp / "data", n=N, shard_size=4, ragged=True)
    two = launch(2, data, tmp / "two", batch=2, extra=("--parity-check", "--record-examples"))
    one = launch(1, data, tmp / "one", batch=4)
    return tmp, two, one


def test_two_processes_learn(runs):
    tmp, (stdout, hist), _ = runs
    assert [h["step"] for h in hist] == list(range(1, 21))
    loss = np.array([h["loss"] for h in hist])
    print("2-process loss curve:", " ".join(f"{v:.3f}" for v in loss))
    assert loss[-5:].mean() < 0.8 * loss[:5].mean()
    assert (tmp / "two" / "last.ckpt").exists() and (tmp / "two" / "step-00000010.ckpt").exists()


def test_gradients_match_one_process(runs):
    tmp, _, _ = runs
    r = json.loads((tmp / "two" / "parity.json").read_text())
    print("gradient parity:", r)
    assert r["processes"] == 2 and r["global_batch"] == 4 and r["parameters"] > 10_000
    assert r["max_abs_diff"] <= 1e-6 * max(1.0, r["max_abs_grad"])
    assert r["rel_l2_diff"] < 1e-6


def test_every_example_once_per_epoch(runs):
    _, (_, hist), _ = runs
    per_epoch = {}
    for h in hist:
        per_epoch.setdefault(h["epoch"], []).extend(h["examples"])
    complete = [e for e in per_epoch if e < hist[-1]["epoch"]]
    assert len(complete) >= 5
    orders = []
    for e in complete:
        c = Counter(per_epoch[e])
        assert sorted(c) == list(range(N)) and set(c.values()) == {1}, (e, c)
        orders.append(per_epoch[e])
    assert len({tuple(o) for o in orders}) == len(orders), "the order is reshuffled every epoch"


def test_follows_the_one_process_run(runs):
    _, (_, two), (_, one) = runs
    a, b = np.array([h["loss"] for h in two]), np.array([h["loss"] for h in one])
    print("max |loss(2 x batch 2) - loss(1 x batch 4)| over 20 steps:", float(np.abs(a - b).max()))
    assert np.allclose(a, b, rtol=1e-4, atol=1e-5)
