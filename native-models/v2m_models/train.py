"""Training Diff-V2M with the paper's recipe, at any scale.

    PYTHONPATH=native-models /usr/bin/python3 -m v2m_models.train \\
        --config native-models/configs/model_config_odf.json --data features/ --out runs/a \\
        [--init model_odf.ckpt] [--vae-from model_odf.ckpt] [--epochs 60] [--batch-size 8]

Recipe (DiffusionCondTrainingWrapper of the released code, model_config_odf.json "training"):
  * frozen VAE: the DiT learns on VAE latents (pre-encoded in the data, or encoded here);
  * v objective: t ~ scrambled Sobol U(0,1), x_t = α·x0 + σ·ε, target v = α·ε − σ·x0, α = cos(πt/2);
  * the rhythm predictor is trained jointly: masked MSE between its ODF_LR and the real one
    (z-scored as the rhythm conditioner does), weight 1;
  * scheduled conditioning: the rhythm context is the predicted ODF (detached) with probability
    p_pred = 0 before epoch 10, rising linearly to 1 at epoch 30 (per batch item);
  * CFG dropout 0.1: every cross-attention context group is zeroed independently per item;
  * AdamW lr 1e-4, betas (0.9, 0.999), weight decay 1e-3, InverseLR(inv_gamma 1e6, power 0.5,
    warmup 0.99) stepped per batch; EMA of the DiT (ema-pytorch 0.2.3 rule: beta 0.9999,
    power 3/4, update after step 1, every step);
  * checkpoints are Lightning-style `{"state_dict": ...}` with the published names, so
    `v2m_models.export` converts them like model_odf.ckpt.
"""
from __future__ import annotations

import argparse
import json
import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

import numpy as np
import torch
from torch.nn import functional as F

from .checkpoint import load_training_state, save_lightning_like
from .config import ModelSpec, load_model_config
from .modules import DiffV2MTrainingState

CFG_DROPOUT = 0.1


def p_pred(epoch: int) -> float:
    """Probability of conditioning on the predicted rhythm (1 − the released code's p_real)."""
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


# ----------------------------------------------------------------------------- data

@dataclass
class Example:
    clip: np.ndarray          # (T, D) per-second CLIP image embeddings
    scene_cut: np.ndarray     # (T,) 0/1
    pseudo_beat: np.ndarray   # (T,) visual-beat strength
    odf: np.ndarray           # (T,) ODF_LR of the music (raw, before z-scoring)
    latents: np.ndarray       # (C, L) VAE latents of the music
    class_label: int = 2
    seconds_start: float = 0.0
    seconds_total: float = 30.0
    colour: Optional[np.ndarray] = None  # (T, 3072)


def load_example(path: Path) -> Example:
    z = np.load(path)
    need = ("clip", "scene_cut", "pseudo_beat", "odf", "latents")
    missing = [k for k in need if k not in z]
    if missing:
        raise ValueError(f"{path}: missing arrays {missing} (see v2m_models.prepare)")
    return Example(clip=z["clip"].astype(np.float32), scene_cut=z["scene_cut"].astype(np.int64),
                   pseudo_beat=z["pseudo_beat"].astype(np.float32), odf=z["odf"].astype(np.float32),
                   latents=z["latents"].astype(np.float32),
                   class_label=int(z["class_label"]) if "class_label" in z else 2,
                   seconds_start=float(z["seconds_start"]) if "seconds_start" in z else 0.0,
                   seconds_total=float(z["seconds_total"]) if "seconds_total" in z else float(len(z["clip"])),
                   colour=z["colour"].astype(np.float32) if "colour" in z else None)


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
        "latents": np.stack([_pad(e.latents.T, lat_len).T for e in examples]),
        "class_label": np.array([e.class_label for e in examples], np.int64),
        "seconds_start": np.array([e.seconds_start for e in examples], np.float32),
        "seconds_total": np.array([e.seconds_total for e in examples], np.float32),
    }
    if spec.colour_context == "color":
        b["colour"] = np.stack([_pad(e.colour, n) for e in examples])
    return {k: torch.from_numpy(v) for k, v in b.items()}


# ----------------------------------------------------------------------------- one step

class Trainer:
    def __init__(self, spec: ModelSpec, state: DiffV2MTrainingState, lr: Optional[float] = None, seed: int = 0):
        self.spec, self.state = spec, state
        d = state.diffusion
        d.pretransform.requires_grad_(False).eval()
        opt = spec.training.get("optimizer_configs", {}).get("diffusion", {})
        ocfg = dict(opt.get("optimizer", {}).get("config", {"lr": 1e-4, "betas": [0.9, 0.999], "weight_decay": 1e-3}))
        if lr is not None:
            ocfg["lr"] = lr
        self.sched_cfg = opt.get("scheduler", {}).get("config", {"inv_gamma": 1e6, "power": 0.5, "warmup": 0.99})
        params = [p for p in d.parameters() if p.requires_grad]
        self.opt = torch.optim.AdamW(params, lr=ocfg["lr"], betas=tuple(ocfg.get("betas", (0.9, 0.999))),
                                     weight_decay=ocfg.get("weight_decay", 1e-3))
        self.base_lr = ocfg["lr"]
        self.ema = Ema(state) if state.diffusion_ema is not None else None
        self.sobol = torch.quasirandom.SobolEngine(1, scramble=True, seed=seed)
        self.gen = torch.Generator().manual_seed(seed)
        self.step = 0

    def loss(self, batch: Dict[str, torch.Tensor], epoch: int):
        d = self.state.diffusion
        spec = self.spec
        bsz = batch["clip"].shape[0]
        # rhythm predictor, trained jointly on the masked MSE to the real ODF_LR
        pred = d.predict_rhythm(batch["clip"], batch["class_label"], batch["scene_cut"], batch["pseudo_beat"])
        m = batch["mask"].float()
        rhythm_loss = ((pred - batch["real_rhythm"]) ** 2 * m).sum() / m.sum().clamp(min=1)
        # scheduled conditioning: predicted (detached, projected without grad) or real rhythm per item
        rcond = d.conditioner.conditioners["rhythm"]
        real_tok = rcond(batch["real_rhythm"].unsqueeze(-1))
        with torch.no_grad():
            fake_tok = rcond(pred.detach().unsqueeze(-1))
        use_pred = torch.rand(bsz, generator=self.gen) < p_pred(epoch)
        rhythm_tok = torch.where(use_pred[:, None, None], fake_tok, real_tok)
        ctx, msk, glob = d.conditioning(batch["clip"], batch["real_rhythm"], batch["mask"], batch["seconds_start"],
                                        batch["seconds_total"], batch["class_label"], color=batch.get("colour"),
                                        color_mask=batch["mask"] if "colour" in batch else None,
                                        rhythm_tokens=rhythm_tok)
        # CFG dropout, every context group independently
        ctx = [torch.where((torch.rand(bsz, generator=self.gen) < CFG_DROPOUT)[:, None, None], torch.zeros_like(c), c)
               for c in ctx]
        x0 = batch["latents"]
        t = self.sobol.draw(bsz)[:, 0].float()
        a, s = torch.cos(t * math.pi / 2)[:, None, None], torch.sin(t * math.pi / 2)[:, None, None]
        noise = torch.randn(x0.shape, generator=self.gen)
        v = d.model.model(x0 * a + noise * s, t, ctx, msk, glob)
        diffusion_loss = F.mse_loss(v, noise * a - x0 * s)
        return diffusion_loss + rhythm_loss, {"diffusion": float(diffusion_loss), "rhythm": float(rhythm_loss)}

    def train_step(self, batch, epoch: int):
        self.state.diffusion.train()
        for g in self.opt.param_groups:
            g["lr"] = self.base_lr * inverse_lr(self.step, **self.sched_cfg)
        loss, parts = self.loss(batch, epoch)
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()
        if self.ema is not None:
            self.ema.update()
        self.step += 1
        return float(loss), parts


def train(spec: ModelSpec, state: DiffV2MTrainingState, examples: List[Example], *, epochs: int, batch_size: int,
          out: Optional[Path] = None, lr: Optional[float] = None, seed: int = 0, checkpoint_every: int = 0,
          log=print) -> List[Dict[str, float]]:
    trainer = Trainer(spec, state, lr=lr, seed=seed)
    rng = np.random.default_rng(seed)
    history = []
    for epoch in range(epochs):
        order = rng.permutation(len(examples))
        for i in range(0, len(order), batch_size):
            batch = collate([examples[j] for j in order[i:i + batch_size]], spec)
            loss, parts = trainer.train_step(batch, epoch)
            history.append({"epoch": epoch, "step": trainer.step, "loss": loss, **parts})
            if out is not None and checkpoint_every and trainer.step % checkpoint_every == 0:
                save_lightning_like(state.state_dict(), Path(out) / f"step_{trainer.step}.ckpt", epoch, trainer.step)
        log(f"epoch {epoch}: loss {np.mean([h['loss'] for h in history if h['epoch'] == epoch]):.4f} "
            f"(p_pred {p_pred(epoch):.2f})")
    if out is not None:
        Path(out).mkdir(parents=True, exist_ok=True)
        save_lightning_like(state.state_dict(), Path(out) / "last.ckpt", epochs, trainer.step)
    return history


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m v2m_models.train", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", type=Path, required=True)
    ap.add_argument("--data", type=Path, required=True, help="folder of per-clip .npz files (v2m_models.prepare)")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--init", type=Path, help="start from a checkpoint (e.g. model_odf.ckpt)")
    ap.add_argument("--vae-from", type=Path, help="take the frozen VAE from this checkpoint (training from scratch)")
    ap.add_argument("--epochs", type=int, default=60)
    ap.add_argument("--batch-size", type=int, default=8)
    ap.add_argument("--lr", type=float)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--checkpoint-every", type=int, default=10000)
    a = ap.parse_args(argv)
    torch.manual_seed(a.seed)
    spec = load_model_config(a.config)
    if a.init:
        state, _ = load_training_state(spec, a.init)
        if state.diffusion_ema is None and spec.use_ema:
            fresh = DiffV2MTrainingState(spec, with_ema=True)
            fresh.load_state_dict(state.state_dict(), strict=False)
            state = fresh
    else:
        state = DiffV2MTrainingState(spec)
        if a.vae_from:
            src, _ = load_training_state(spec, a.vae_from)
            state.diffusion.pretransform.load_state_dict(src.diffusion.pretransform.state_dict())
    files = sorted(Path(a.data).glob("*.npz"))
    if not files:
        raise SystemExit(f"no .npz files in {a.data}")
    examples = [load_example(f) for f in files]
    a.out.mkdir(parents=True, exist_ok=True)
    history = train(spec, state, examples, epochs=a.epochs, batch_size=a.batch_size, out=a.out, lr=a.lr, seed=a.seed,
                    checkpoint_every=a.checkpoint_every)
    (a.out / "history.json").write_text(json.dumps(history))


if __name__ == "__main__":
    main()
