"""Sharded training data: the format round-trips, bad folders are refused clearly, and the
sampler gives every example to exactly one process exactly once per epoch."""
import json
from collections import Counter

import numpy as np
import pytest

from synthetic import synthetic_folder, synthetic_pairs
from v2m_models.config import load_model_config, tiny_config_path
from v2m_models.data import DataError, ShardDataset, ShardedDistributedSampler, epoch_order, read_index

SPEC = load_model_config(tiny_config_path())


@pytest.mark.parametrize("n,shard,world,batch", [(10, 3, 2, 2), (7, 4, 3, 1), (12, 5, 1, 4), (5, 2, 2, 3)])
def test_each_example_once_per_epoch(n, shard, world, batch):
    shard_of = np.repeat(np.arange(-(-n // shard)), shard)[:n]
    for epoch in (0, 1, 5):
        ranks = []
        for r in range(world):
            s = ShardedDistributedSampler(shard_of, batch_size=batch, num_replicas=world, rank=r, seed=3)
            s.set_epoch(epoch)
            ranks.append(list(s))
        assert len({len(x) for x in ranks}) == 1, "every rank takes the same number of steps"
        assert len(ranks[0]) % batch == 0
        real = Counter(i for x in ranks for i, w in x if w > 0)
        assert sorted(real) == list(range(n)) and set(real.values()) == {1}
        pads = [w for x in ranks for _, w in x if w == 0]
        assert len(pads) == world * len(ranks[0]) - n and len(pads) < world * batch
        # global batch k is the concatenation of every rank's k-th batch, in rank order
        one = ShardedDistributedSampler(shard_of, batch_size=batch * world, seed=3)
        one.set_epoch(epoch)
        merged = [item for k in range(len(ranks[0]) // batch) for x in ranks for item in x[k * batch:(k + 1) * batch]]
        assert merged == list(one)


def test_order_is_shard_local_and_reshuffled():
    shard_of = np.repeat(np.arange(6), 4)
    a, b = epoch_order(shard_of, 0, seed=0), epoch_order(shard_of, 1, seed=0)
    assert sorted(a) == list(range(24)) and not np.array_equal(a, b)
    assert np.array_equal(a, epoch_order(shard_of, 0, seed=0))
    runs = 1 + int(np.count_nonzero(np.diff(shard_of[a])))
    assert runs == 6, "each shard is read in one stretch"


def test_set_start_resumes_mid_epoch():
    s = ShardedDistributedSampler(np.zeros(9, int), batch_size=2, num_replicas=2, rank=1, seed=0)
    s.set_epoch(2)
    full = list(s)
    s.set_start(2)
    assert list(s) == full[2:] and len(s) == len(full) - 2
    with pytest.raises(ValueError, match="outside"):
        s.set_start(len(full) + 1)
    with pytest.raises(ValueError, match="rank"):
        ShardedDistributedSampler(np.zeros(3, int), batch_size=1, num_replicas=2, rank=2)


def test_shards_round_trip(tmp_path):
    ex = synthetic_pairs(SPEC, n=5, ragged=True)
    synthetic_folder(SPEC, tmp_path, n=5, shard_size=2, ragged=True)
    idx = json.loads((tmp_path / "index.json").read_text())
    assert [s["count"] for s in idx["shards"]] == [2, 2, 1] and idx["examples"] == 5
    ds = ShardDataset(tmp_path, SPEC)
    for i in (4, 0, 3, 1, 2):
        j, w, e = ds[(i, 0.0)]
        assert (j, w) == (i, 0.0)
        for k in ("clip", "scene_cut", "pseudo_beat", "odf", "latents"):
            assert np.array_equal(getattr(e, k), getattr(ex[i], k)), (i, k)
        assert e.seconds_total == ex[i].seconds_total and e.audio is None
    assert ds.loads == 5  # one shard in memory at a time


def test_bad_folders_are_refused(tmp_path):
    with pytest.raises(DataError, match="no index.json.*prepare"):
        read_index(tmp_path)
    np.savez(tmp_path / "old.npz", clip=np.zeros(1))
    with pytest.raises(DataError, match="older prepare"):
        read_index(tmp_path)
    synthetic_folder(SPEC, tmp_path / "d", n=3)
    other = load_model_config(tiny_config_path())
    other.sample_size *= 2
    with pytest.raises(DataError, match="another model config.*latent_length"):
        read_index(tmp_path / "d", other)
    (tmp_path / "d" / "shard-00000.npz").unlink()
    with pytest.raises(DataError, match="shard files missing"):
        read_index(tmp_path / "d")
