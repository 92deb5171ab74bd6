"""Training data on disk: sharded example files with an index, streamed through a DataLoader.

Layout written by `v2m_models.prepare` (and `write_shards` for tests):

    <dir>/index.json            {"format": "v2m-train-shards", "version": 1, "latents": "pre-encoded"|"audio",
                                 "dims": {...}, "shards": [{"file", "count", "bytes"}], "examples": N,
                                 "sources": [...]}
    <dir>/shard-00000.npz       stacked arrays of up to `shard_size` examples (uncompressed, so a shard
                                loads at disk speed); per-second arrays zero-padded to `max_seconds`
                                rows with `seconds` (N,) giving the real length.

Arrays per shard: clip (N,T,D) float32, scene_cut (N,T) int64, pseudo_beat (N,T) float32, odf (N,T)
float32, seconds (N,) int64, class_label (N,) int64, seconds_start / seconds_total (N,) float32, and
latents (N,C,L) float32 (pre-encoded) or audio (N,channels,samples) float32 (encoded on the fly by
the frozen VAE), colour (N,T,3072) when present.

The sampler orders examples shard by shard (shard order and order within a shard reshuffled each
epoch), so a worker reading a stretch of the order touches one shard at a time; the dataset keeps
only the current shard in memory. Global micro-batch k is positions [kG, (k+1)G) of the epoch's order
(G = world size x per-rank batch) and rank r takes its r-th slice of B, so N processes with batch B
see exactly the batches one process with batch N*B would. The order is padded to a multiple of G
with repeats of weight 0: every example counts exactly once per epoch and every rank takes the same
number of steps (DDP needs that).
"""
from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

import numpy as np
import torch
from torch.utils.data import Dataset, DistributedSampler

FORMAT = "v2m-train-shards"
VERSION = 1
PER_SECOND = ("clip", "scene_cut", "pseudo_beat", "odf", "colour")


class DataError(ValueError):
    """The training data folder is missing, incomplete or made for another model config."""


@dataclass
class Example:
    clip: np.ndarray          # (T, D) per-second CLIP image embeddings
    scene_cut: np.ndarray     # (T,) 0/1
    pseudo_beat: np.ndarray   # (T,) visual-beat strength
    odf: np.ndarray           # (T,) ODF_LR of the music (raw, before z-scoring)
    latents: Optional[np.ndarray] = None  # (C, L) VAE latents of the music (pre-encoded)
    class_label: int = 2
    seconds_start: float = 0.0
    seconds_total: float = 30.0
    colour: Optional[np.ndarray] = None   # (T, 3072)
    audio: Optional[np.ndarray] = None    # (channels, samples), when latents are encoded on the fly


def _atomic_savez(path: Path, arrays: Dict[str, np.ndarray]):
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "wb") as f:
        np.savez(f, **arrays)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def atomic_write_text(path: Path, text: str):
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "w") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _pad_rows(a: np.ndarray, n: int) -> np.ndarray:
    out = np.zeros((n,) + a.shape[1:], a.dtype)
    out[: min(len(a), n)] = a[:n]
    return out


def stack_examples(examples: Sequence[Example], max_seconds: int) -> Dict[str, np.ndarray]:
    """One shard's arrays. All examples must agree on latents-vs-audio and on having colour."""
    kinds = {("latents" if e.latents is not None else "audio") for e in examples}
    if len(kinds) != 1 or any((e.latents is None) == (e.audio is None) for e in examples):
        raise DataError("every example needs exactly one of latents or audio, the same one throughout")
    if len({e.colour is None for e in examples}) != 1:
        raise DataError("either every example has colour histograms or none has")
    out = {
        "clip": np.stack([_pad_rows(e.clip.astype(np.float32), max_seconds) for e in examples]),
        "scene_cut": np.stack([_pad_rows(e.scene_cut.astype(np.int64), max_seconds) for e in examples]),
        "pseudo_beat": np.stack([_pad_rows(e.pseudo_beat.astype(np.float32), max_seconds) for e in examples]),
        "odf": np.stack([_pad_rows(e.odf.astype(np.float32), max_seconds) for e in examples]),
        "seconds": np.array([min(len(e.clip), max_seconds) for e in examples], np.int64),
        "odf_len": np.array([min(len(e.odf), max_seconds) for e in examples], np.int64),
        "class_label": np.array([e.class_label for e in examples], np.int64),
        "seconds_start": np.array([e.seconds_start for e in examples], np.float32),
        "seconds_total": np.array([e.seconds_total for e in examples], np.float32),
    }
    kind = kinds.pop()
    out[kind] = np.stack([getattr(e, kind).astype(np.float32) for e in examples])
    if examples[0].colour is not None:
        out["colour"] = np.stack([_pad_rows(e.colour.astype(np.float32), max_seconds) for e in examples])
    return out


class ShardWriter:
    """Appends examples, writes a shard each `shard_size`, and the index last (atomically), so a
    folder with an index.json is always complete."""

    def __init__(self, out: Path, *, max_seconds: int, dims: Dict[str, int], shard_size: int = 128):
        if shard_size < 1:
            raise DataError("shard size must be at least 1")
        self.out, self.max_seconds, self.dims, self.shard_size = Path(out), max_seconds, dict(dims), shard_size
        self.out.mkdir(parents=True, exist_ok=True)
        if (self.out / "index.json").exists():
            (self.out / "index.json").unlink()  # the old index would describe shards about to be replaced
        self.pending: List[Example] = []
        self.shards: List[dict] = []
        self.sources: List[dict] = []
        self.kind: Optional[str] = None

    def add(self, e: Example, source: Optional[dict] = None):
        kind = "latents" if e.latents is not None else "audio"
        if self.kind is None:
            self.kind = kind
        elif kind != self.kind:
            raise DataError(f"mixed examples: this folder holds {self.kind}, got one with {kind}")
        self.pending.append(e)
        self.sources.append(source or {})
        if len(self.pending) >= self.shard_size:
            self._flush()

    def _flush(self):
        if not self.pending:
            return
        name = f"shard-{len(self.shards):05d}.npz"
        _atomic_savez(self.out / name, stack_examples(self.pending, self.max_seconds))
        self.shards.append({"file": name, "count": len(self.pending), "bytes": (self.out / name).stat().st_size})
        self.pending = []

    def close(self) -> dict:
        self._flush()
        if not self.shards:
            raise DataError("no examples were written (every input was skipped or failed)")
        index = {"format": FORMAT, "version": VERSION, "latents": "pre-encoded" if self.kind == "latents" else "audio",
                 "max_seconds": self.max_seconds, "dims": self.dims, "shards": self.shards,
                 "examples": sum(s["count"] for s in self.shards), "sources": self.sources}
        atomic_write_text(self.out / "index.json", json.dumps(index, indent=1))
        return index


def write_shards(examples: Sequence[Example], out: Path, *, max_seconds: int, dims: Dict[str, int],
                 shard_size: int = 128) -> dict:
    w = ShardWriter(out, max_seconds=max_seconds, dims=dims, shard_size=shard_size)
    for e in examples:
        w.add(e)
    return w.close()


def spec_dims(spec) -> Dict[str, int]:
    """What a data folder must agree on with the model config."""
    return {"clip_dim": spec.clip.output_dim, "latent_channels": spec.io_channels, "latent_length": spec.latent_length,
            "audio_channels": spec.audio_channels, "sample_size": spec.sample_size, "sample_rate": spec.sample_rate}


def read_index(folder: Path, spec=None) -> dict:
    folder = Path(folder)
    p = folder / "index.json"
    if not p.exists():
        hint = " (it holds per-clip .npz files from an older prepare; run v2m_models.prepare again)" \
            if any(folder.glob("*.npz")) else ""
        raise DataError(f"{folder}: no index.json{hint}. Make training data with `python -m v2m_models.prepare`.")
    try:
        index = json.loads(p.read_text())
    except json.JSONDecodeError as e:
        raise DataError(f"{p} is not valid JSON: {e}") from None
    if index.get("format") != FORMAT or index.get("version") != VERSION:
        raise DataError(f"{p}: not a {FORMAT} v{VERSION} index")
    if index.get("latents") not in ("pre-encoded", "audio"):
        raise DataError(f"{p}: 'latents' must be 'pre-encoded' or 'audio'")
    shards = index.get("shards") or []
    if not shards or any(not isinstance(s, dict) or "file" not in s or int(s.get("count", 0)) < 1 for s in shards):
        raise DataError(f"{p}: no shards, or a shard entry without file/count")
    missing = [s["file"] for s in shards if not (folder / s["file"]).exists()]
    if missing:
        raise DataError(f"{folder}: shard files missing: {missing[:5]} (copy the whole folder)")
    if spec is not None:
        want = spec_dims(spec)
        have = index.get("dims", {})
        keys = ["clip_dim"] + (["latent_channels", "latent_length"] if index["latents"] == "pre-encoded"
                               else ["audio_channels", "sample_size", "sample_rate"])
        bad = [f"{k}: data {have.get(k)} vs config {want[k]}" for k in keys if have.get(k) != want[k]]
        if bad:
            raise DataError(f"{folder} was prepared for another model config ({'; '.join(bad)}); "
                            "run prepare with this --config")
        if int(index.get("max_seconds", 0)) > spec.max_seconds:
            raise DataError(f"{folder}: examples are {index['max_seconds']} s long, the config allows {spec.max_seconds}")
    return index


class ShardDataset(Dataset):
    """Map-style view over the shards. Items are `(index, weight)` pairs from `ShardedDistributedSampler`
    (a bare int means weight 1). Keeps the last shard it read in memory and nothing else."""

    def __init__(self, folder: Path, spec=None):
        self.folder = Path(folder)
        self.index = read_index(self.folder, spec)
        counts = [int(s["count"]) for s in self.index["shards"]]
        self.starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        self.shard_of = np.repeat(np.arange(len(counts)), counts)
        self._cached: Tuple[int, Optional[Dict[str, np.ndarray]]] = (-1, None)
        self.loads = 0  # shard reads, for tests of locality

    def __len__(self) -> int:
        return int(self.starts[-1])

    def _shard(self, s: int) -> Dict[str, np.ndarray]:
        if self._cached[0] != s:
            path = self.folder / self.index["shards"][s]["file"]
            try:
                with np.load(path) as z:
                    arrays = {k: z[k] for k in z.files}
            except Exception as e:
                raise DataError(f"cannot read shard {path}: {e}") from e
            n = int(self.index["shards"][s]["count"])
            if len(arrays.get("clip", ())) != n:
                raise DataError(f"{path}: holds {len(arrays.get('clip', ()))} examples, the index says {n}")
            self._cached = (s, arrays)
            self.loads += 1
        return self._cached[1]

    def example(self, i: int) -> Example:
        if not 0 <= i < len(self):
            raise IndexError(f"example {i} out of range (0..{len(self) - 1})")
        s = int(self.shard_of[i])
        z, r = self._shard(s), i - int(self.starts[s])
        n, k = int(z["seconds"][r]), int(z["odf_len"][r])
        return Example(clip=z["clip"][r, :n], scene_cut=z["scene_cut"][r, :n], pseudo_beat=z["pseudo_beat"][r, :n],
                       odf=z["odf"][r, :k], latents=z["latents"][r] if "latents" in z else None,
                       audio=z["audio"][r] if "audio" in z else None, class_label=int(z["class_label"][r]),
                       seconds_start=float(z["seconds_start"][r]), seconds_total=float(z["seconds_total"][r]),
                       colour=z["colour"][r, :n] if "colour" in z else None)

    def __getitem__(self, item):
        i, w = item if isinstance(item, tuple) else (item, 1.0)
        return int(i), float(w), self.example(int(i))


class ListDataset(Dataset):
    """Examples already in memory (tests, small experiments), same item protocol as ShardDataset."""

    def __init__(self, examples: Sequence[Example]):
        self.examples = list(examples)
        self.shard_of = np.zeros(len(self.examples), np.int64)

    def __len__(self):
        return len(self.examples)

    def __getitem__(self, item):
        i, w = item if isinstance(item, tuple) else (item, 1.0)
        return int(i), float(w), self.examples[int(i)]


def epoch_order(shard_of: Sequence[int], epoch: int, seed: int, shuffle: bool = True) -> np.ndarray:
    """Every example index once: shards in a per-epoch random order, examples shuffled within each."""
    shard_of = np.asarray(shard_of)
    n_shards = int(shard_of.max()) + 1 if len(shard_of) else 0
    members = [np.flatnonzero(shard_of == s) for s in range(n_shards)]
    if not shuffle:
        return np.concatenate(members) if members else np.zeros(0, np.int64)
    rng = np.random.default_rng([seed, epoch])
    return np.concatenate([rng.permutation(members[s]) for s in rng.permutation(n_shards)])


class ShardedDistributedSampler(DistributedSampler):
    """A DistributedSampler (num_replicas, rank, set_epoch) whose epoch order is shard-local and whose
    global batches are contiguous (see the module docstring). Yields `(index, weight)`; weight 0 marks
    padding. `set_start(k)` skips this rank's first k items, to resume in the middle of an epoch."""

    def __init__(self, shard_of: Sequence[int], *, batch_size: int, num_replicas: int = 1, rank: int = 0,
                 seed: int = 0, shuffle: bool = True):
        if batch_size < 1:
            raise ValueError("batch size must be at least 1")
        if not 0 <= rank < num_replicas:
            raise ValueError(f"rank {rank} is not in [0, {num_replicas})")
        if len(shard_of) == 0:
            raise ValueError("the dataset is empty")
        # DistributedSampler.__init__ only records these; it needs no process group when both are given.
        super().__init__(range(len(shard_of)), num_replicas=num_replicas, rank=rank, shuffle=shuffle, seed=seed)
        self.shard_of = np.asarray(shard_of)
        self.batch_size = batch_size
        self.global_batch = batch_size * num_replicas
        self.batches_per_epoch = math.ceil(len(self.shard_of) / self.global_batch)
        self.num_samples = self.batches_per_epoch * batch_size  # per rank
        self.total_size = self.num_samples * num_replicas
        self.start = 0

    def set_start(self, k: int):
        if not 0 <= k <= self.num_samples:
            raise ValueError(f"start {k} is outside this rank's epoch (0..{self.num_samples})")
        self.start = k

    def global_items(self, epoch: Optional[int] = None) -> List[Tuple[int, float]]:
        order = epoch_order(self.shard_of, self.epoch if epoch is None else epoch, self.seed, self.shuffle)
        n = len(order)
        return [(int(order[p % n]), 1.0 if p < n else 0.0) for p in range(self.total_size)]

    def rank_items(self, epoch: Optional[int] = None) -> List[Tuple[int, float]]:
        items = self.global_items(epoch)
        b, g = self.batch_size, self.global_batch
        return [items[k * g + self.rank * b + j] for k in range(self.batches_per_epoch) for j in range(b)]

    def __iter__(self) -> Iterator[Tuple[int, float]]:
        return iter(self.rank_items()[self.start:])

    def __len__(self) -> int:
        return self.num_samples - self.start


def collate_items(items) -> dict:
    """DataLoader collate: keeps Examples as a list (the trainer pads them for its model config)."""
    return {"index": torch.tensor([i for i, _, _ in items], dtype=torch.int64),
            "weight": torch.tensor([w for _, w, _ in items], dtype=torch.float32),
            "examples": [e for _, _, e in items]}
