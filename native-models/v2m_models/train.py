"""Training Diff-V2M with the paper's recipe, on one process or many (torchrun + DistributedDataParallel).

    # one process (CPU or one GPU)
    /usr/bin/python3 native-models/train.py --config odf --data features/ --out runs/a [--init model_odf.ckpt]
    # N GPUs on one machine (NCCL); on CPU add --backend gloo
    torchrun --nproc_per_node=N native-models/train.py --config odf --data features/ --out runs/a
    # carry on where a run stopped (same world size, batch and accumulation)
    torchrun --nproc_per_node=N native-models/train.py ... --resume runs/a/last.ckpt

--config takes a path or a name in native-models/configs ("odf" = model_config_odf.json, "tiny").
--batch-size is per process; the global batch is batch x processes x --accum-steps.

Recipe (DiffusionCondTrainingWrapper of the released code, model_config_odf.json "training"):
  * frozen VAE: the DiT learns on VAE latents (pre-encoded by prepare, or encoded here from audio);
  * v objective: t ~ scrambled Sobol U(0,1), x_t = a*x0 + s*e, target v = a*e - s*x0, a = cos(pi t/2);
  * the rhythm predictor is trained jointly: masked MSE between its ODF_LR and the real one
    (z-scored as the rhythm conditioner does), weight 1;
  * scheduled conditioning: the rhythm context is the predicted ODF (detached) with probability
    p_pred = 0 before epoch 10, rising linearly to 1 at epoch 30 (per batch item);
  * CFG dropout 0.1: every cross-attention context group is zeroed independently per item;
  * AdamW lr 1e-4, betas (0.9, 0.999), weight decay 1e-3, InverseLR(inv_gamma 1e6, power 0.5,
    warmup 0.99) stepped per optimiser step; EMA of the DiT (ema-pytorch 0.2.3 rule: beta 0.9999,
    power 3/4, update after step 1, every step);
  * checkpoints are Lightning-style `{"state_dict": ...}` with the published names (so
    `v2m_models.export` converts any of them like model_odf.ckpt), plus optimiser, scheduler, epoch,
    step, sampler position and every RNG state, so --resume continues bit for bit on the CPU.

Distributed: every process draws the random numbers (t, noise, dropout, scheduled conditioning) of
the whole global batch from identically seeded generators and uses its own rows, and the losses are
normalised by global counts, so N processes with batch B compute the gradients one process computes
with batch N*B (up to float summation order; --parity-check measures it).
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import itertools
import json
import math
import os
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader

from .checkpoint import CheckpointError, load_training_state, read_state_dict, normalise_keys
from .config import CONFIG_DIR, ModelSpec, load_model_config
from .data import (DataError, Example, ListDataset, ShardDataset, ShardedDistributedSampler, atomic_write_text,
                   collate_items)
from .diff_v2m import DiffV2M, DiffV2MTrainingState

CFG_DROPOUT = 0.1
CHECKPOINT_VERSION = 1
PRECISIONS = {"fp32": None, "bf16": torch.bfloat16, "fp16": torch.float16}

__all__ = ["Example", "p_pred", "inverse_lr", "real_rhythm", "collate", "Trainer", "RunOptions", "train", "main"]


def p_pred(epoch: int) -> float:
    """Probability of conditioning on the predicted rhythm (1 - the released code's p_real)."""
    if epoch < 10:
        return 0.0
    if epoch <= 30:
        return (epoch - 10) / 20
    return 1.0


def inverse_lr(step: int, inv_gamma: float = 1e6, power: float = 0.5, warmup: float = 0.99) -> float:
    return (1 - warmup ** (step + 1)) * (1 + step / inv_gamma) ** -power


class Ema:
    """ema-pytorch 0.2.3 `EMA(beta=0.9999, power=3/4, update_every=1, update_after_step=1)` on the DiT."""

    def __init__(self, state: DiffV2MTrainingState, beta=0.9999, power=0.75, update_after_step=1):
        self.state, self.beta, self.power, self.after = state, beta, power, update_after_step

    @torch.no_grad()
    def update(self):
        ema = self.state.diffusion_ema
        online = self.state.diffusion.model
        step = int(ema.step.item())
        ema.step += 1
        if step <= self.after or not bool(ema.initted.item()):
            ema.ema_model.load_state_dict(online.state_dict())
            if step > self.after:
                ema.initted.fill_(1.0)
            else:
                return
        epoch = max(step - self.after - 1, 0)
        decay = 0.0 if epoch <= 0 else min(max(1 - (1 + epoch) ** -self.power, 0.0), self.beta)
        for (_, e), (_, o) in zip(ema.ema_model.named_parameters(), online.named_parameters()):
            e.lerp_(o, 1 - decay)
        for (_, e), (_, o) in zip(ema.ema_model.named_buffers(), online.named_buffers()):
            if e.is_floating_point():
                e.lerp_(o, 1 - decay)


# ----------------------------------------------------------------------------- batches

def _pad(a: np.ndarray, n: int) -> np.ndarray:
    a = a[:n]
    out = np.zeros((n,) + a.shape[1:], a.dtype)
    out[: len(a)] = a
    return out


def real_rhythm(odf: np.ndarray, n: int) -> np.ndarray:
    """What the rhythm conditioner makes of the real ODF: zero-pad to n, block-average to n rows,
    z-score over the padded vector with the unbiased std + 1e-6."""
    if len(odf) < n:
        odf = _pad(odf, n)
    k = len(odf) // n
    x = odf[: k * n].reshape(n, k).mean(axis=1).astype(np.float32)
    return ((x - x.mean()) / (x.std(ddof=1) + 1e-6)).astype(np.float32)


def collate(examples: List[Example], spec: ModelSpec) -> Dict[str, torch.Tensor]:
    n = spec.max_seconds
    lat_len = spec.latent_length
    b = {
        "clip": np.stack([_pad(e.clip, n) for e in examples]),
        "mask": np.stack([_pad(np.ones(min(len(e.clip), n), np.float32), n) for e in examples]) > 0.5,
        "scene_cut": np.stack([_pad(e.scene_cut, n) for e in examples]),
        "pseudo_beat": np.stack([_pad(e.pseudo_beat, n) for e in examples]),
        "real_rhythm": np.stack([real_rhythm(e.odf, n) for e in examples]),
        "class_label": np.array([e.class_label for e in examples], np.int64),
        "seconds_start": np.array([e.seconds_start for e in examples], np.float32),
        "seconds_total": np.array([e.seconds_total for e in examples], np.float32),
    }
    if all(e.latents is not None for e in examples):
        b["latents"] = np.stack([_pad(e.latents.T, lat_len).T for e in examples])
    elif all(e.audio is not None for e in examples):
        b["audio"] = np.stack([_pad(e.audio.T, spec.sample_size).T for e in examples])
    else:
        raise DataError("a batch mixes examples with latents and examples with audio")
    if spec.colour_context == "color":
        if any(e.colour is None for e in examples):
            raise DataError("this config feeds colour histograms to the DiT but the data has none "
                            "(prepare writes them when `v2m analyze` reports colourHistograms)")
        b["colour"] = np.stack([_pad(e.colour, n) for e in examples])
    return {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in b.items()}


def collate_loader(items, spec: ModelSpec) -> Dict[str, torch.Tensor]:
    """DataLoader collate (runs in the workers): (index, weight, Example) items -> model tensors."""
    c = collate_items(items)
    out = collate(c["examples"], spec)
    out["index"], out["weight"] = c["index"], c["weight"]
    return out


# ----------------------------------------------------------------------------- processes

@dataclass
class DistEnv:
    rank: int = 0
    world: int = 1
    local_rank: int = 0
    device: torch.device = field(default_factory=lambda: torch.device("cpu"))

    @property
    def distributed(self) -> bool:
        return self.world > 1

    @property
    def main(self) -> bool:
        return self.rank == 0


def setup_distributed(backend: str = "auto", device: str = "auto") -> DistEnv:
    """From torchrun's environment (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR/PORT); one process without it."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank, local = int(os.environ.get("RANK", "0")), int(os.environ.get("LOCAL_RANK", "0"))
    cuda = torch.cuda.is_available()
    if backend == "auto":
        backend = "nccl" if cuda and device != "cpu" else "gloo"
    if backend == "nccl" and not cuda:
        raise SystemExit("--backend nccl needs CUDA GPUs; on CPU use --backend gloo")
    if device == "auto":
        device = "cuda" if cuda and backend == "nccl" else "cpu"
    if device == "cuda" and not cuda:
        raise SystemExit("--device cuda: no CUDA GPU is visible (check CUDA_VISIBLE_DEVICES / the driver)")
    if device == "cuda":
        if local >= torch.cuda.device_count():
            raise SystemExit(f"LOCAL_RANK {local} but only {torch.cuda.device_count()} GPUs: lower --nproc_per_node")
        torch.cuda.set_device(local)
        dev = torch.device("cuda", local)
    else:
        dev = torch.device("cpu")
    if world > 1 and not dist.is_initialized():
        dist.init_process_group(backend=backend)
    return DistEnv(rank=rank, world=world, local_rank=local, device=dev)


def _all_reduce(t: torch.Tensor, env: DistEnv) -> torch.Tensor:
    if env.distributed:
        dist.all_reduce(t)
    return t


# ----------------------------------------------------------------------------- the loss

class DiffusionLoss(torch.nn.Module):
    """One micro-batch's share of the global loss: the module DistributedDataParallel wraps, so that
    every trainable parameter (DiT, conditioners, rhythm predictor) is reached through its forward."""

    def __init__(self, diffusion: DiffV2M, spec: ModelSpec):
        super().__init__()
        self.diffusion, self.spec = diffusion, spec

    def forward(self, batch: Dict[str, torch.Tensor], draws: Dict[str, torch.Tensor], denom: torch.Tensor,
                scale: float, autocast):
        d = self.diffusion
        w = batch["weight"]
        with autocast():
            pred = d.predict_rhythm(batch["clip"], batch["class_label"], batch["scene_cut"], batch["pseudo_beat"])
            rcond = d.conditioner.conditioners["rhythm"]
            real_tok = rcond(batch["real_rhythm"].unsqueeze(-1))
            with torch.no_grad():
                fake_tok = rcond(pred.detach().unsqueeze(-1))
            rhythm_tok = torch.where(draws["use_pred"][:, None, None], fake_tok, real_tok)
            ctx, msk, glob = d.conditioning(batch["clip"], batch["real_rhythm"], batch["mask"], batch["seconds_start"],
                                            batch["seconds_total"], batch["class_label"], color=batch.get("colour"),
                                            color_mask=batch["mask"] if "colour" in batch else None,
                                            rhythm_tokens=rhythm_tok)
            ctx = [torch.where(draws["drop"][i][:, None, None], torch.zeros_like(c), c) for i, c in enumerate(ctx)]
            x0, t, noise = batch["latents"], draws["t"], draws["noise"]
            a, s = torch.cos(t * math.pi / 2)[:, None, None], torch.sin(t * math.pi / 2)[:, None, None]
            v = d.model.model(x0 * a + noise * s, t, ctx, msk, glob)
        m = batch["mask"].float()
        per_item = ((v.float() - (noise * a - x0 * s)) ** 2).mean(dim=(1, 2))
        diffusion_num = (w * per_item).sum()
        rhythm_num = (w[:, None] * m * (pred.float() - batch["real_rhythm"]) ** 2).sum()
        # `scale` = world size: DDP averages gradients over processes, the global loss is a sum
        loss = scale * (diffusion_num / denom[0] + rhythm_num / denom[1])
        return loss, torch.stack([diffusion_num.detach(), rhythm_num.detach()])


# ----------------------------------------------------------------------------- the trainer

@dataclass
class RunOptions:
    batch_size: int = 8            # per process
    accum: int = 1                 # micro-batches per optimiser step
    epochs: Optional[int] = 60     # stop at this epoch ...
    steps: Optional[int] = None    # ... or at this optimiser step, whichever comes first
    lr: Optional[float] = None
    seed: int = 0
    checkpoint_every: int = 0      # optimiser steps; 0 = only at the end
    keep: int = 3                  # step checkpoints kept besides last.ckpt
    out: Optional[Path] = None
    precision: str = "fp32"
    workers: int = 0
    log_every: int = 10
    record_examples: bool = False  # history lists the examples each step used (tests)


class Trainer:
    def __init__(self, spec: ModelSpec, state: DiffV2MTrainingState, opts: RunOptions, env: Optional[DistEnv] = None):
        self.spec, self.state, self.opts = spec, state, opts
        self.env = env or DistEnv()
        if opts.batch_size < 1 or opts.accum < 1:
            raise ValueError("--batch-size and --accum-steps must be at least 1")
        if opts.precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {sorted(PRECISIONS)}")
        if opts.precision != "fp32" and self.env.device.type != "cuda":
            raise ValueError(f"--precision {opts.precision} is for CUDA devices; on the CPU train in fp32")
        if opts.precision == "bf16" and not torch.cuda.is_bf16_supported():
            raise ValueError("this GPU has no bfloat16; use --precision fp16 (with loss scaling) or fp32")
        self.amp_dtype = PRECISIONS[opts.precision]
        state.to(self.env.device)
        d = state.diffusion
        d.pretransform.requires_grad_(False).eval()
        ocfg_all = spec.training.get("optimizer_configs", {}).get("diffusion", {})
        ocfg = dict(ocfg_all.get("optimizer", {}).get("config", {"lr": 1e-4, "betas": [0.9, 0.999], "weight_decay": 1e-3}))
        if opts.lr is not None:
            ocfg["lr"] = opts.lr
        self.sched_cfg = dict(ocfg_all.get("scheduler", {}).get("config", {"inv_gamma": 1e6, "power": 0.5, "warmup": 0.99}))
        params = [p for p in d.parameters() if p.requires_grad]
        self.opt = torch.optim.AdamW(params, lr=ocfg["lr"], betas=tuple(ocfg.get("betas", (0.9, 0.999))),
                                     weight_decay=ocfg.get("weight_decay", 1e-3))
        self.sched = torch.optim.lr_scheduler.LambdaLR(self.opt, functools.partial(inverse_lr, **self.sched_cfg))
        self.scaler = torch.cuda.amp.GradScaler() if opts.precision == "fp16" else None
        self.ema = Ema(state) if state.diffusion_ema is not None else None
        self.loss_module = DiffusionLoss(d, spec)
        if self.env.distributed:
            # Some parameters never get a gradient (the conditioners' unused proj_out, the colour
            # conditioner under the released wiring): DDP must be told to expect that.
            self.module = DistributedDataParallel(
                self.loss_module, device_ids=[self.env.device.index] if self.env.device.type == "cuda" else None,
                find_unused_parameters=True, broadcast_buffers=False)
        else:
            self.module = self.loss_module
        types = [spec.conditioner(k).type for k in spec.cross_attention_cond_ids]
        self.n_ctx = 3 if "color" in types else 2
        self.sobol = torch.quasirandom.SobolEngine(1, scramble=True, seed=opts.seed)
        self.gen = torch.Generator().manual_seed(opts.seed)
        self.step, self.epoch, self.pos = 0, 0, 0   # optimiser steps, data epoch, micro-batches into it
        self.history: List[dict] = []
        self._saved_step = -1

    # --- random numbers of the whole global batch, identical on every process
    def _draws(self, batch_size: int) -> Dict[str, torch.Tensor]:
        g = self.env.world * batch_size
        C, L = self.spec.io_channels, self.spec.latent_length
        draws = {
            "use_pred": torch.rand(g, generator=self.gen) < p_pred(self.epoch),
            "drop": torch.rand(self.n_ctx, g, generator=self.gen) < CFG_DROPOUT,
            "t": self.sobol.draw(g)[:, 0].float(),
            "noise": torch.randn((g, C, L), generator=self.gen),
            "vae_noise": torch.randn((g, C, L), generator=self.gen),
        }
        r = slice(self.env.rank * batch_size, (self.env.rank + 1) * batch_size)
        return {k: (v[:, r] if k == "drop" else v[r]).to(self.env.device) for k, v in draws.items()}

    def _autocast(self):
        if self.amp_dtype is None:
            return contextlib.nullcontext()
        return torch.autocast(device_type="cuda", dtype=self.amp_dtype)

    def _prepare(self, batch: Dict[str, torch.Tensor], draws) -> Dict[str, torch.Tensor]:
        batch = {k: v.to(self.env.device, non_blocking=True) for k, v in batch.items()}
        if "latents" not in batch:
            # latents encoded on the fly by the frozen VAE, with this step's own posterior draw
            with torch.no_grad(), self._autocast():
                lat = self.state.diffusion.pretransform.encode(batch.pop("audio"), sample=True, noise=draws["vae_noise"])
            if lat.shape[-1] != self.spec.latent_length:
                raise DataError(f"the VAE made {lat.shape[-1]} latent frames from the audio, the config expects "
                                f"{self.spec.latent_length}")
            batch["latents"] = lat.float()
        return batch

    def accumulate(self, micro: Sequence[Dict[str, torch.Tensor]]) -> Dict[str, float]:
        """Forward + backward over one optimiser step's micro-batches; gradients are left in .grad."""
        self.state.diffusion.train()
        self.state.diffusion.pretransform.eval()
        local = torch.zeros(2, dtype=torch.float64)
        for b in micro:
            local[0] += float(b["weight"].sum())
            local[1] += float((b["weight"][:, None] * b["mask"].float()).sum())
        counts = _all_reduce(local.to(self.env.device), self.env).float().clamp(min=1.0)
        nums = torch.zeros(2, device=self.env.device)
        for k, b in enumerate(micro):
            draws = self._draws(int(b["weight"].shape[0]))
            b = self._prepare(b, draws)
            sync = contextlib.nullcontext()
            if self.env.distributed and k < len(micro) - 1:
                sync = self.module.no_sync()  # gradients are all-reduced once, after the last micro-batch
            with sync:
                loss, n = self.module(b, draws, counts, float(self.env.world), self._autocast)
                (self.scaler.scale(loss) if self.scaler else loss).backward()
            nums += n
        nums = _all_reduce(nums, self.env)
        return {"diffusion": float(nums[0] / counts[0]), "rhythm": float(nums[1] / counts[1])}

    def train_step(self, micro: Sequence[Dict[str, torch.Tensor]]) -> Dict[str, float]:
        self.opt.zero_grad(set_to_none=True)
        parts = self.accumulate(micro)
        lr = self.opt.param_groups[0]["lr"]
        if self.scaler:
            self.scaler.step(self.opt)
            self.scaler.update()
        else:
            self.opt.step()
        self.sched.step()
        if self.ema is not None:
            self.ema.update()
        self.step += 1
        return {"loss": parts["diffusion"] + parts["rhythm"], **parts, "lr": lr}

    # --- data
    def sampler(self, dataset) -> ShardedDistributedSampler:
        return ShardedDistributedSampler(dataset.shard_of, batch_size=self.opts.batch_size, num_replicas=self.env.world,
                                         rank=self.env.rank, seed=self.opts.seed)

    def loader(self, dataset, sampler) -> DataLoader:
        # The loader's own generator (re-seeded per epoch) seeds its workers, so the global torch RNG is
        # untouched and a resumed run sees the same worker seeds as an uninterrupted one.
        return DataLoader(dataset, batch_size=self.opts.batch_size, sampler=sampler,
                          collate_fn=functools.partial(collate_loader, spec=self.spec), num_workers=self.opts.workers,
                          generator=torch.Generator().manual_seed(self.opts.seed * 100_003 + self.epoch),
                          pin_memory=self.env.device.type == "cuda")

    def _record(self, micro) -> Optional[List[int]]:
        if not self.opts.record_examples:
            return None
        mine = [int(i) for b in micro for i, w in zip(b["index"], b["weight"]) if w > 0]
        if not self.env.distributed:
            return mine
        every: List[Optional[List[int]]] = [None] * self.env.world
        dist.all_gather_object(every, mine)
        return [i for part in every for i in part]

    def fit(self, dataset, log=print) -> List[dict]:
        o = self.opts
        sampler = self.sampler(dataset)
        if self.env.main:
            log(f"{len(dataset)} examples, {self.env.world} process(es) x batch {o.batch_size} x accum {o.accum} "
                f"= global batch {self.env.world * o.batch_size * o.accum}; {sampler.batches_per_epoch} micro-batches "
                f"per epoch; device {self.env.device}, {o.precision}")

        def finished() -> bool:
            return (o.steps is not None and self.step >= o.steps) or (o.epochs is not None and self.epoch >= o.epochs)

        t0 = time.time()
        while not finished():
            sampler.set_epoch(self.epoch)
            sampler.set_start(min(self.pos, sampler.batches_per_epoch) * o.batch_size)
            it = iter(self.loader(dataset, sampler))
            while not finished():
                micro = list(itertools.islice(it, o.accum))
                if not micro:
                    break
                parts = self.train_step(micro)
                self.pos += len(micro)
                rec = {"epoch": self.epoch, "step": self.step, **parts}
                seen = self._record(micro)
                if seen is not None:
                    rec["examples"] = seen
                self.history.append(rec)
                if self.env.main and o.log_every and (self.step % o.log_every == 0 or self.step == 1):
                    log(f"step {self.step} epoch {self.epoch}: loss {parts['loss']:.4f} (diffusion {parts['diffusion']:.4f}, "
                        f"rhythm {parts['rhythm']:.4f}) lr {parts['lr']:.3g} p_pred {p_pred(self.epoch):.2f} "
                        f"[{time.time() - t0:.1f} s]")
                if o.out is not None and o.checkpoint_every and self.step % o.checkpoint_every == 0:
                    self.save_checkpoint(Path(o.out))
            del it
            if self.pos >= sampler.batches_per_epoch:
                self.epoch, self.pos = self.epoch + 1, 0
        if o.out is not None:
            self.save_checkpoint(Path(o.out))
        return self.history

    # --- checkpoints
    def checkpoint(self) -> dict:
        cuda = self.env.device.type == "cuda"
        return {
            "state_dict": {k: v.detach().cpu() for k, v in self.state.state_dict().items()},
            "epoch": self.epoch, "global_step": self.step, "pytorch-lightning_version": "2.1.0",
            "optimizer_states": [self.opt.state_dict()], "lr_schedulers": [self.sched.state_dict()],
            "v2m_training": {
                "version": CHECKPOINT_VERSION, "epoch": self.epoch, "batch_in_epoch": self.pos, "step": self.step,
                "world_size": self.env.world, "batch_size": self.opts.batch_size, "accum": self.opts.accum,
                "seed": self.opts.seed, "precision": self.opts.precision, "history": self.history,
                "scaler": self.scaler.state_dict() if self.scaler else None, "config": self.spec.raw,
                "rng": {"python": random.getstate(), "numpy": np.random.get_state(), "torch": torch.get_rng_state(),
                        "cuda": torch.cuda.get_rng_state_all() if cuda else None,
                        "trainer": self.gen.get_state(), "sobol_drawn": int(self.sobol.num_generated)},
            },
        }

    def save_checkpoint(self, out: Path):
        """Rank 0 writes step-N.ckpt (temp name + rename) and points last.ckpt at it; the others wait."""
        if self.env.main:
            out.mkdir(parents=True, exist_ok=True)
            path = out / f"step-{self.step:08d}.ckpt"
            if self._saved_step != self.step:  # the final save often falls on a periodic one
                atomic_torch_save(self.checkpoint(), path)
                self._saved_step = self.step
            tmp = out / f".last.ckpt.tmp-{os.getpid()}"
            try:
                os.link(path, tmp)
            except OSError:  # no hard links on this file system
                import shutil
                shutil.copyfile(path, tmp)
            os.replace(tmp, out / "last.ckpt")
            steps = sorted(out.glob("step-*.ckpt"))
            for old in steps[: max(len(steps) - max(self.opts.keep, 1), 0)]:
                old.unlink()
            atomic_write_text(out / "history.json", json.dumps(self.history))
        if self.env.distributed:
            dist.barrier()

    def load_checkpoint(self, path: Path):
        ck = read_training_checkpoint(path)
        t = ck["v2m_training"]
        mine = (self.env.world, self.opts.batch_size, self.opts.accum)
        theirs = (t["world_size"], t["batch_size"], t["accum"])
        if mine != theirs:
            raise CheckpointError(
                f"{path} was written by {theirs[0]} process(es) x batch {theirs[1]} x accum {theirs[2]}; this run is "
                f"{mine[0]} x {mine[1]} x {mine[2]}. Resume with the same --nproc_per_node, --batch-size and "
                "--accum-steps (the sampler position and the random draws depend on them), or start a new run "
                "from it with --init.")
        if t["seed"] != self.opts.seed:
            raise CheckpointError(f"{path} was trained with --seed {t['seed']}; resume with the same seed")
        self.state.load_state_dict(normalise_keys(ck["state_dict"]), strict=True)
        self.opt.load_state_dict(ck["optimizer_states"][0])
        self.sched.load_state_dict(ck["lr_schedulers"][0])
        if self.scaler and t.get("scaler"):
            self.scaler.load_state_dict(t["scaler"])
        self.step, self.epoch, self.pos = int(t["step"]), int(t["epoch"]), int(t["batch_in_epoch"])
        self.history = list(t.get("history", []))
        rng = t["rng"]
        random.setstate(rng["python"])
        np.random.set_state(rng["numpy"])
        torch.set_rng_state(rng["torch"])
        if rng.get("cuda") is not None and self.env.device.type == "cuda":
            torch.cuda.set_rng_state_all(rng["cuda"])
        self.gen.set_state(rng["trainer"])
        self.sobol = torch.quasirandom.SobolEngine(1, scramble=True, seed=self.opts.seed)
        self.sobol.fast_forward(int(rng["sobol_drawn"]))


def atomic_torch_save(obj, path: Path):
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "wb") as f:
        torch.save(obj, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def read_training_checkpoint(path: Path) -> dict:
    p = Path(path)
    if not p.exists():
        raise CheckpointError(f"checkpoint not found: {p}")
    try:
        ck = torch.load(str(p), map_location="cpu", weights_only=False)
    except Exception as e:
        raise CheckpointError(f"cannot read checkpoint {p}: {e}. Is it a complete file?") from e
    if not isinstance(ck, dict) or "v2m_training" not in ck or "optimizer_states" not in ck:
        raise CheckpointError(f"{p} has no training state (optimiser, sampler, RNG) to resume from; it is a weights-only "
                              "checkpoint such as model_odf.ckpt: start from it with --init instead")
    if ck["v2m_training"].get("version") != CHECKPOINT_VERSION:
        raise CheckpointError(f"{p}: training state version {ck['v2m_training'].get('version')}, expected {CHECKPOINT_VERSION}")
    return ck


# ----------------------------------------------------------------------------- gradient parity

def _flat_grads(module: torch.nn.Module) -> torch.Tensor:
    return torch.cat([(p.grad if p.grad is not None else torch.zeros_like(p)).detach().flatten().cpu()
                      for p in module.parameters() if p.requires_grad])


def gradient_parity(trainer: Trainer, dataset) -> Optional[dict]:
    """Gradients of the first global micro-batch of the current epoch, computed by this run's processes
    (DDP) and by one process on the whole global batch; returns the comparison on rank 0. Leaves the
    trainer's RNG state, gradients and weights as they were."""
    env, o = trainer.env, trainer.opts
    sampler = trainer.sampler(dataset)
    sampler.set_epoch(trainer.epoch)
    gen_state, drawn = trainer.gen.get_state(), int(trainer.sobol.num_generated)
    collate_fn = functools.partial(collate_loader, spec=trainer.spec)

    def restore(t: Trainer):
        t.gen.set_state(gen_state)
        t.sobol = torch.quasirandom.SobolEngine(1, scramble=True, seed=o.seed)
        t.sobol.fast_forward(drawn)

    mine = collate_fn([dataset[i] for i in sampler.rank_items()[: o.batch_size]])
    trainer.opt.zero_grad(set_to_none=True)
    trainer.accumulate([mine])
    got = _flat_grads(trainer.loss_module)
    trainer.opt.zero_grad(set_to_none=True)
    restore(trainer)
    report = None
    if env.main:
        # a copy built afresh (deepcopy cannot copy parameters that carry DDP's hooks)
        ref_state = DiffV2MTrainingState(trainer.spec, with_ema=False)
        ref_state.load_state_dict({k: v.detach().cpu() for k, v in trainer.state.state_dict().items()
                                   if not k.startswith("diffusion_ema.")}, strict=True)
        ref = Trainer(trainer.spec, ref_state, RunOptions(batch_size=o.batch_size * env.world, seed=o.seed, lr=o.lr),
                      DistEnv())
        ref.epoch = trainer.epoch
        restore(ref)
        whole = collate_fn([dataset[i] for i in sampler.global_items()[: o.batch_size * env.world]])
        ref.accumulate([whole])
        want = _flat_grads(ref.loss_module)
        diff = (got - want).abs()
        report = {"processes": env.world, "batch_per_process": o.batch_size, "global_batch": o.batch_size * env.world,
                  "parameters": int(want.numel()), "max_abs_diff": float(diff.max()),
                  "max_abs_grad": float(want.abs().max()),
                  "max_rel_diff": float(diff.max() / want.abs().max().clamp(min=1e-30)),
                  "rel_l2_diff": float((got - want).norm() / want.norm().clamp(min=1e-30))}
        del ref, ref_state
    if env.distributed:
        dist.barrier()
    return report


# ----------------------------------------------------------------------------- entry points

def train(spec: ModelSpec, state: DiffV2MTrainingState, data, *, epochs: Optional[int] = 60, batch_size: int = 8,
          out: Optional[Path] = None, lr: Optional[float] = None, seed: int = 0, checkpoint_every: int = 0,
          steps: Optional[int] = None, accum: int = 1, resume: Optional[Path] = None, log=print, **kw) -> List[dict]:
    """One-process training on a list of Examples, a ShardDataset or a prepared folder."""
    if isinstance(data, (str, Path)):
        data = ShardDataset(Path(data), spec)
    elif isinstance(data, (list, tuple)):
        data = ListDataset(data)
    opts = RunOptions(batch_size=batch_size, accum=accum, epochs=epochs, steps=steps, lr=lr, seed=seed,
                      checkpoint_every=checkpoint_every, out=Path(out) if out is not None else None, **kw)
    trainer = Trainer(spec, state, opts)
    if resume is not None:
        trainer.load_checkpoint(Path(resume))
    return trainer.fit(data, log=log)


def resolve_config(name: str) -> Path:
    named = {"odf": "model_config_odf.json", "tiny": "tiny.json"}
    p = Path(name)
    if name in named:
        return CONFIG_DIR / named[name]
    if not p.exists() and (CONFIG_DIR / f"{name}.json").exists():
        return CONFIG_DIR / f"{name}.json"
    return p


def build_state(spec: ModelSpec, a) -> DiffV2MTrainingState:
    if a.init:
        state, _ = load_training_state(spec, a.init)
        if state.diffusion_ema is None and spec.use_ema:
            fresh = DiffV2MTrainingState(spec, with_ema=True)
            fresh.load_state_dict(state.state_dict(), strict=False)
            fresh.diffusion_ema.ema_model.load_state_dict(fresh.diffusion.model.state_dict())
            state = fresh
        return state
    state = DiffV2MTrainingState(spec)
    if a.vae_from:
        src = normalise_keys(read_state_dict(a.vae_from))
        prefix = "diffusion.pretransform."
        vae = {k[len(prefix):]: v for k, v in src.items() if k.startswith(prefix)}
        if not vae:
            raise CheckpointError(f"{a.vae_from} holds no VAE ('diffusion.pretransform.*' parameters)")
        state.diffusion.pretransform.load_state_dict(vae, strict=True)
    return state


def main(argv=None):
    ap = argparse.ArgumentParser(prog="train.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", required=True, help="model config: a path, or 'odf' / 'tiny'")
    ap.add_argument("--data", type=Path, required=True, help="folder made by prepare (index.json + shards)")
    ap.add_argument("--out", type=Path, required=True, help="run folder: checkpoints, history.json")
    ap.add_argument("--init", type=Path, help="start from a checkpoint's weights (e.g. model_odf.ckpt)")
    ap.add_argument("--resume", type=Path, help="continue a run from its checkpoint (e.g. <out>/last.ckpt)")
    ap.add_argument("--vae-from", type=Path, help="take the frozen VAE from this checkpoint (training from scratch)")
    ap.add_argument("--epochs", type=int, help="stop at this epoch (default 60 unless --steps is given)")
    ap.add_argument("--steps", type=int, help="stop at this optimiser step")
    ap.add_argument("--batch-size", type=int, default=8, help="per process")
    ap.add_argument("--accum-steps", type=int, default=1, help="micro-batches per optimiser step")
    ap.add_argument("--lr", type=float, help="peak learning rate (default: the config's, 1e-4)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--checkpoint-every", type=int, default=10000, help="optimiser steps")
    ap.add_argument("--keep", type=int, default=3, help="step checkpoints to keep")
    ap.add_argument("--backend", choices=["auto", "nccl", "gloo"], default="auto")
    ap.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    ap.add_argument("--precision", choices=sorted(PRECISIONS), default="fp32", help="autocast dtype on CUDA")
    ap.add_argument("--workers", type=int, default=2, help="DataLoader worker processes per training process")
    ap.add_argument("--log-every", type=int, default=10)
    ap.add_argument("--parity-check", action="store_true",
                    help="before training, compare this run's gradients with one process on the same global batch")
    ap.add_argument("--record-examples", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.resume and a.init:
        ap.error("--resume continues a run with its own weights; drop --init")
    epochs = a.epochs if a.epochs is not None else (None if a.steps is not None else 60)
    env = setup_distributed(a.backend, a.device)
    try:
        random.seed(a.seed)
        np.random.seed(a.seed)
        torch.manual_seed(a.seed)  # identical initial weights on every process (DDP also broadcasts rank 0's)
        spec = load_model_config(resolve_config(a.config))
        dataset = ShardDataset(a.data, spec)
        state = build_state(spec, a) if not a.resume else DiffV2MTrainingState(spec)
        opts = RunOptions(batch_size=a.batch_size, accum=a.accum_steps, epochs=epochs, steps=a.steps, lr=a.lr,
                          seed=a.seed, checkpoint_every=a.checkpoint_every, keep=a.keep, out=a.out,
                          precision=a.precision, workers=a.workers, log_every=a.log_every,
                          record_examples=a.record_examples)
        trainer = Trainer(spec, state, opts, env)
        if a.resume:
            trainer.load_checkpoint(a.resume)
            if env.main:
                print(f"resumed {a.resume} at step {trainer.step}, epoch {trainer.epoch} (+{trainer.pos} micro-batches)")
        if a.parity_check:
            report = gradient_parity(trainer, dataset)
            if env.main:
                a.out.mkdir(parents=True, exist_ok=True)
                atomic_write_text(a.out / "parity.json", json.dumps(report, indent=1))
                print(f"gradient parity ({report['processes']} processes vs 1 on global batch {report['global_batch']}): "
                      f"max abs diff {report['max_abs_diff']:.3g} (max |grad| {report['max_abs_grad']:.3g}, "
                      f"relative L2 {report['rel_l2_diff']:.3g})")
        trainer.fit(dataset)
        if env.main:
            h = trainer.history
            if h:
                print(f"done: step {trainer.step}, loss {h[0]['loss']:.4f} -> {h[-1]['loss']:.4f}; {a.out / 'last.ckpt'}")
    except (DataError, CheckpointError, ValueError) as e:
        print(f"train: {e}", file=sys.stderr)
        raise SystemExit(2)
    finally:
        if env.distributed and dist.is_initialized():
            dist.destroy_process_group()


if __name__ == "__main__":
    main()
