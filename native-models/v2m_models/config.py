"""Reading a Diff-V2M model config (the stable-audio-tools `diffusion_cond` JSON layout).

The published `model_config_odf.json` is parsed as is. A few sizes that the released code
hard-codes (the rhythm extractor's width/depth/heads, the conditioners' middle widths, the CLIP
tower) may be overridden by optional keys so that tiny test configs keep the same structure;
when those keys are absent the hard-coded values of the released code are used, which is what
the published checkpoint was trained with.
"""
from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional


class ConfigError(ValueError):
    """The model config is not one this reference can build."""


@dataclass
class ConditionerSpec:
    id: str
    type: str
    config: Dict[str, Any]


@dataclass
class OobleckSpec:
    channels: int
    c_mults: List[int]
    strides: List[int]
    latent_dim: int
    io_channels: int  # in_channels for the encoder, out_channels for the decoder
    use_snake: bool
    final_tanh: bool = False


@dataclass
class ClipVisionSpec:
    image_size: int = 224
    patch_size: int = 32
    width: int = 768
    layers: int = 12
    heads: int = 12
    output_dim: int = 512


@dataclass
class ModelSpec:
    raw: Dict[str, Any]
    sample_rate: int
    sample_size: int
    audio_channels: int
    io_channels: int
    cond_dim: int
    conditioners: List[ConditionerSpec]
    cross_attention_cond_ids: List[str]
    global_cond_ids: List[str]
    dit: Dict[str, Any]
    encoder: OobleckSpec
    decoder: OobleckSpec
    downsampling_ratio: int
    pretransform_scale: float
    diffusion_objective: str
    use_ema: bool
    clip: ClipVisionSpec
    # Which context feeds the first ("colour") cross-attention of every block. The released
    # code (DiTWrapper.forward) passes the rhythm group there, so "rhythm" reproduces the
    # checkpoint; "color" is the paper's description. See README.
    colour_context: str = "rhythm"
    training: Dict[str, Any] = field(default_factory=dict)

    def conditioner(self, cid: str) -> ConditionerSpec:
        for c in self.conditioners:
            if c.id == cid:
                return c
        raise ConfigError(f"config has no conditioner with id '{cid}'")

    def conditioner_of_type(self, ctype: str) -> ConditionerSpec:
        found = [c for c in self.conditioners if c.type == ctype]
        if len(found) != 1:
            raise ConfigError(f"expected exactly one conditioner of type '{ctype}', found {len(found)}")
        return found[0]

    @property
    def latent_length(self) -> int:
        return self.sample_size // self.downsampling_ratio

    @property
    def latent_rate(self) -> float:
        return self.sample_rate / self.downsampling_ratio

    @property
    def max_seconds(self) -> int:
        return int(self.conditioner_of_type("semantic").config.get("max_length", 30))


SUPPORTED_CONDITIONERS = {"t5", "semantic", "rhythm", "color", "int", "number"}


def _require(d: Dict[str, Any], key: str, where: str) -> Any:
    if key not in d:
        raise ConfigError(f"model config: missing '{key}' in {where}")
    return d[key]


def _oobleck(cfg: Dict[str, Any], where: str, encoder: bool) -> OobleckSpec:
    if cfg.get("type") != "oobleck":
        raise ConfigError(f"model config: {where}.type must be 'oobleck', got {cfg.get('type')!r}")
    c = _require(cfg, "config", where)
    spec = OobleckSpec(
        channels=int(c.get("channels", 128)),
        c_mults=list(c.get("c_mults", [1, 2, 4, 8])),
        strides=list(c.get("strides", [2, 4, 8, 8])),
        latent_dim=int(c.get("latent_dim", 32)),
        io_channels=int(c.get("in_channels" if encoder else "out_channels", 2)),
        use_snake=bool(c.get("use_snake", False)),
        final_tanh=bool(c.get("final_tanh", True)) if not encoder else False,
    )
    if len(spec.c_mults) != len(spec.strides):
        raise ConfigError(f"model config: {where}: c_mults and strides must have the same length")
    if c.get("antialias_activation") or c.get("use_nearest_upsample"):
        raise ConfigError(f"model config: {where}: antialias_activation / use_nearest_upsample are not supported")
    return spec


def parse_model_config(cfg: Dict[str, Any]) -> ModelSpec:
    cfg = copy.deepcopy(cfg)
    if cfg.get("model_type") != "diffusion_cond":
        raise ConfigError(f"model config: model_type must be 'diffusion_cond', got {cfg.get('model_type')!r}")
    model = _require(cfg, "model", "the config root")
    diffusion = _require(model, "diffusion", "model")
    if diffusion.get("type") != "dit":
        raise ConfigError(f"model config: model.diffusion.type must be 'dit', got {diffusion.get('type')!r}")
    dit = dict(_require(diffusion, "config", "model.diffusion"))
    if dit.get("transformer_type") != "continuous_transformer":
        raise ConfigError("model config: only transformer_type 'continuous_transformer' is supported")
    if dit.get("global_cond_type", "prepend") != "prepend":
        raise ConfigError("model config: only global_cond_type 'prepend' is supported")
    if dit.get("patch_size", 1) != 1:
        raise ConfigError("model config: only patch_size 1 is supported")
    if dit.get("attention_weight_type") not in ("FiLM_choose",):
        raise ConfigError(
            f"model config: attention_weight_type {dit.get('attention_weight_type')!r} is not supported "
            "(the released Diff-V2M checkpoint uses 'FiLM_choose')")
    for k in ("io_channels", "embed_dim", "depth", "num_heads", "cond_token_dim", "global_cond_dim"):
        _require(dit, k, "model.diffusion.config")
    if dit.get("project_cond_tokens", True):
        raise ConfigError("model config: project_cond_tokens must be false (as in the Diff-V2M config)")
    if dit["embed_dim"] % dit["num_heads"]:
        raise ConfigError("model config: embed_dim must be divisible by num_heads")
    dim_heads = dit["embed_dim"] // dit["num_heads"]
    if max(dim_heads // 2, 32) > dim_heads:
        raise ConfigError(f"model config: head width {dim_heads} is smaller than the rotary width 32; use >= 32")
    if dit["cond_token_dim"] % dim_heads or dit["num_heads"] % (dit["cond_token_dim"] // dim_heads):
        raise ConfigError("model config: cond_token_dim must be a multiple of the head width and divide the heads evenly")

    cond = _require(model, "conditioning", "model")
    cond_dim = int(_require(cond, "cond_dim", "model.conditioning"))
    if cond_dim != dit["cond_token_dim"]:
        raise ConfigError(f"model config: conditioning.cond_dim {cond_dim} != diffusion cond_token_dim {dit['cond_token_dim']}")
    conditioners = []
    for c in _require(cond, "configs", "model.conditioning"):
        if c["type"] not in SUPPORTED_CONDITIONERS:
            raise ConfigError(f"model config: conditioner type {c['type']!r} (id {c['id']!r}) is not supported")
        conditioners.append(ConditionerSpec(id=c["id"], type=c["type"], config=dict(c.get("config", {}))))
    ids = [c.id for c in conditioners]
    if len(set(ids)) != len(ids):
        raise ConfigError("model config: duplicate conditioner ids")
    if [c.id for c in conditioners if c.type == "rhythm"] != ["rhythm"]:
        raise ConfigError("model config: the rhythm conditioner must exist with id 'rhythm' (the released code looks it up by that name)")
    for c in conditioners:
        if c.type == "t5" and c.config.get("project_out", False):
            raise ConfigError("model config: a projecting T5 conditioner is not supported")
        if c.type == "t5":
            t5_dims = {"t5-small": 512, "t5-base": 768, "t5-large": 1024}
            name = c.config.get("t5_model_name", "t5-base")
            if t5_dims.get(name) != cond_dim:
                raise ConfigError(f"model config: T5 conditioner {name} would need a projection to {cond_dim}; not supported")
    cross_ids = list(diffusion.get("cross_attention_cond_ids", []))
    global_ids = list(diffusion.get("global_cond_ids", []))
    for i in cross_ids + global_ids:
        if i not in ids:
            raise ConfigError(f"model config: conditioning id {i!r} is used by the diffusion model but not defined")
    if "semantic" not in cross_ids or "rhythm" not in cross_ids:
        raise ConfigError("model config: cross_attention_cond_ids must contain 'semantic' and 'rhythm'")
    gdim = 0
    for g in global_ids:
        ct = next(c for c in conditioners if c.id == g).type
        if ct not in ("int", "number"):
            raise ConfigError(f"model config: global conditioning {g!r} of type {ct!r} is not supported")
        gdim += cond_dim
    if gdim != dit["global_cond_dim"]:
        raise ConfigError(f"model config: global_cond_dim is {dit['global_cond_dim']} but the global conditioners give {gdim}")

    pre = _require(model, "pretransform", "model")
    if pre.get("type") != "autoencoder":
        raise ConfigError("model config: pretransform.type must be 'autoencoder'")
    pc = _require(pre, "config", "model.pretransform")
    if pc.get("bottleneck", {}).get("type") != "vae":
        raise ConfigError("model config: the autoencoder bottleneck must be 'vae'")
    enc = _oobleck(_require(pc, "encoder", "model.pretransform.config"), "pretransform.config.encoder", True)
    dec = _oobleck(_require(pc, "decoder", "model.pretransform.config"), "pretransform.config.decoder", False)
    ratio = int(_require(pc, "downsampling_ratio", "model.pretransform.config"))
    prod = 1
    for s in dec.strides:
        prod *= s
    if prod != ratio:
        raise ConfigError(f"model config: decoder strides multiply to {prod}, not downsampling_ratio {ratio}")
    if any(s % 2 for s in dec.strides):
        raise ConfigError("model config: odd decoder strides are not supported (the length would not be exact)")
    if dec.latent_dim != dit["io_channels"] or int(pc.get("latent_dim", dec.latent_dim)) != dit["io_channels"]:
        raise ConfigError(f"model config: VAE latent_dim {dec.latent_dim} != DiT io_channels {dit['io_channels']}")
    if enc.latent_dim != 2 * dec.latent_dim:
        raise ConfigError("model config: the VAE encoder must output 2 x latent_dim channels (mean and scale)")

    clip_cfg = dict(model.get("clip_vision", {}))  # our extension; absent = OpenAI ViT-B/32
    clip = ClipVisionSpec(**clip_cfg)
    sem = next(c for c in conditioners if c.type == "semantic")
    if int(sem.config["dim"]) != clip.output_dim:
        raise ConfigError(f"model config: semantic dim {sem.config['dim']} != CLIP output dim {clip.output_dim}")
    colour_context = model.get("colour_context", "rhythm")
    if colour_context not in ("rhythm", "color"):
        raise ConfigError("model config: colour_context must be 'rhythm' (released code) or 'color' (paper)")
    if colour_context == "color" and "color" not in cross_ids:
        raise ConfigError("model config: colour_context 'color' needs 'color' in cross_attention_cond_ids")

    return ModelSpec(
        raw=cfg,
        sample_rate=int(_require(cfg, "sample_rate", "the config root")),
        sample_size=int(_require(cfg, "sample_size", "the config root")),
        audio_channels=int(cfg.get("audio_channels", 2)),
        io_channels=int(model.get("io_channels", dit["io_channels"])),
        cond_dim=cond_dim,
        conditioners=conditioners,
        cross_attention_cond_ids=cross_ids,
        global_cond_ids=global_ids,
        dit=dit,
        encoder=enc,
        decoder=dec,
        downsampling_ratio=ratio,
        pretransform_scale=float(pre.get("scale", 1.0)),
        diffusion_objective=diffusion.get("diffusion_objective", "v"),
        use_ema=bool(cfg.get("training", {}).get("use_ema", False)),
        clip=clip,
        colour_context=colour_context,
        training=dict(cfg.get("training", {})),
    )


def load_model_config(path: str | Path) -> ModelSpec:
    p = Path(path)
    try:
        raw = json.loads(p.read_text())
    except FileNotFoundError:
        raise ConfigError(f"model config not found: {p}") from None
    except json.JSONDecodeError as e:
        raise ConfigError(f"model config {p} is not valid JSON: {e}") from None
    return parse_model_config(raw)


CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"


def published_config_path() -> Path:
    return CONFIG_DIR / "model_config_odf.json"


def tiny_config_path() -> Path:
    return CONFIG_DIR / "tiny.json"
