"""An independent enumeration of the state-dict entries (name → shape) that the released Diff-V2M
training wrapper produces for a config, written from reading the released sources (Diff-V2M-Code
@ e7e68c7: models/diffusion.py, dit.py, transformer.py, conditioners.py, rhythm_extractor.py,
adp.py, autoencoders.py, blocks.py; ema-pytorch 0.2.3). It does not import the reference modules,
so a strict load of a checkpoint built from it tests the module layout for real."""
from __future__ import annotations

import math
from typing import Dict, Tuple

Shape = Tuple[int, ...]


def _linear(out: Dict[str, Shape], p: str, i: int, o: int, bias: bool = True):
    out[f"{p}.weight"] = (o, i)
    if bias:
        out[f"{p}.bias"] = (o,)


def _block(out, p, dim, dim_heads, cross, ctx_dim, film_t=64, film_h=256):
    out[f"{p}.pre_norm.gamma"] = (dim,)
    out[f"{p}.pre_norm.beta"] = (dim,)  # registered buffer (bias-less LayerNorm)
    _linear(out, f"{p}.self_attn.to_qkv", dim, 3 * dim, bias=False)
    _linear(out, f"{p}.self_attn.to_out", dim, dim, bias=False)
    if cross:
        out[f"{p}.cross_attend_norm.gamma"] = (dim,)
        out[f"{p}.cross_attend_norm.beta"] = (dim,)
        for k in range(3):
            _linear(out, f"{p}.cross_attn{k}.to_q", dim, dim, bias=False)
            _linear(out, f"{p}.cross_attn{k}.to_kv", ctx_dim, 2 * ctx_dim, bias=False)
            _linear(out, f"{p}.cross_attn{k}.to_out", dim, dim, bias=False)
        _linear(out, f"{p}.t_linear", 1, film_t)
        for name in ("FiLM_gamma_sem", "FiLM_gamma_rhy", "FiLM_beta_sem", "FiLM_beta_rhy"):
            _linear(out, f"{p}.{name}.0", film_t, film_h)
            _linear(out, f"{p}.{name}.2", film_h, dim)
        out[f"{p}.color_norm.gamma"] = (dim,)
        out[f"{p}.color_norm.beta"] = (dim,)
    out[f"{p}.ff_norm.gamma"] = (dim,)
    out[f"{p}.ff_norm.beta"] = (dim,)
    _linear(out, f"{p}.ff.ff.0.proj", dim, 8 * dim)
    _linear(out, f"{p}.ff.ff.2", 4 * dim, dim)


def _transformer(out, p, dim, depth, heads, dim_in, dim_out, cross=False, ctx_dim=None, **film):
    dh = dim // heads
    _linear(out, f"{p}.project_in", dim_in, dim, bias=False)
    _linear(out, f"{p}.project_out", dim, dim_out, bias=False)
    out[f"{p}.rotary_pos_emb.inv_freq"] = (max(dh // 2, 32) // 2,)
    for i in range(depth):
        _block(out, f"{p}.layers.{i}", dim, dh, cross, ctx_dim, **film)


def dit_schema(d: dict) -> Dict[str, Shape]:
    out: Dict[str, Shape] = {}
    e, io, cd, gd = d["embed_dim"], d["io_channels"], d["cond_token_dim"], d["global_cond_dim"]
    out["timestep_features.weight"] = (128, 1)
    _linear(out, "to_timestep_embed.0", 256, e)
    _linear(out, "to_timestep_embed.2", e, e)
    _linear(out, "to_cond_embed.0", cd, cd, bias=False)
    _linear(out, "to_cond_embed.2", cd, cd, bias=False)
    _linear(out, "to_global_embed.0", gd, e, bias=False)
    _linear(out, "to_global_embed.2", e, e, bias=False)
    film = {}
    if "film_t_dim" in d:
        film = {"film_t": d["film_t_dim"], "film_h": d["film_hidden"]}
    _transformer(out, "transformer", e, d["depth"], d["num_heads"], io, io, cross=True, ctx_dim=cd, **film)
    out["preprocess_conv.weight"] = (io, io, 1)
    out["postprocess_conv.weight"] = (io, io, 1)
    return out


def _wn(out, p, cin, cout, k, bias=True, transpose=False):
    if transpose:
        out[f"{p}.weight_g"] = (cin, 1, 1)
        out[f"{p}.weight_v"] = (cin, cout, k)
    else:
        out[f"{p}.weight_g"] = (cout, 1, 1)
        out[f"{p}.weight_v"] = (cout, cin, k)
    if bias:
        out[f"{p}.bias"] = (cout,)


def _snake(out, p, c):
    out[f"{p}.alpha"] = (c,)
    out[f"{p}.beta"] = (c,)


def _res(out, p, c):
    _snake(out, f"{p}.layers.0", c)
    _wn(out, f"{p}.layers.1", c, c, 7)
    _snake(out, f"{p}.layers.2", c)
    _wn(out, f"{p}.layers.3", c, c, 1)


def vae_schema(pc: dict) -> Dict[str, Shape]:
    out: Dict[str, Shape] = {}
    enc, dec = pc["encoder"]["config"], pc["decoder"]["config"]
    ch, m, st = enc["channels"], [1] + enc["c_mults"], enc["strides"]
    _wn(out, "encoder.layers.0", enc["in_channels"], ch, 7)
    for i in range(len(m) - 1):
        p, cin, cout = f"encoder.layers.{i + 1}", m[i] * ch, m[i + 1] * ch
        for j in range(3):
            _res(out, f"{p}.layers.{j}", cin)
        _snake(out, f"{p}.layers.3", cin)
        _wn(out, f"{p}.layers.4", cin, cout, 2 * st[i])
    _snake(out, f"encoder.layers.{len(m)}", m[-1] * ch)
    _wn(out, f"encoder.layers.{len(m) + 1}", m[-1] * ch, enc["latent_dim"], 3)
    ch, m, st = dec["channels"], [1] + dec["c_mults"], dec["strides"]
    _wn(out, "decoder.layers.0", dec["latent_dim"], m[-1] * ch, 7)
    idx = 1
    for i in range(len(m) - 1, 0, -1):
        p, cin, cout = f"decoder.layers.{idx}", m[i] * ch, m[i - 1] * ch
        _snake(out, f"{p}.layers.0", cin)
        _wn(out, f"{p}.layers.1", cin, cout, 2 * st[i - 1], transpose=True)
        for j in range(3):
            _res(out, f"{p}.layers.{j + 2}", cout)
        idx += 1
    _snake(out, f"decoder.layers.{idx}", ch)
    _wn(out, f"decoder.layers.{idx + 1}", ch, dec["out_channels"], 7, bias=False)
    return out


def conditioner_schema(cond: dict) -> Dict[str, Shape]:
    out: Dict[str, Shape] = {}
    cd = cond["cond_dim"]
    for c in cond["configs"]:
        p, cfg = c["id"], c["config"]
        if c["type"] == "semantic":
            dim, mid = cfg["dim"], cfg.get("mid_dim", 512)
            edim, edepth, eheads = cfg.get("extractor_dim", mid), cfg.get("extractor_depth", 12), cfg.get("extractor_heads", 8)
            if dim != cd:
                _linear(out, f"{p}.proj_out", dim, cd)
            if dim != mid:
                _linear(out, f"{p}.proj_out1", dim, mid)
            _linear(out, f"{p}.proj_out2", mid, cd)
            _transformer(out, f"{p}.extractor.transformer", edim, edepth, eheads, dim, 1)
            out[f"{p}.extractor.class_embedding.weight"] = (3, dim)
            out[f"{p}.extractor.scene_embedding.weight"] = (2, dim)
            _linear(out, f"{p}.extractor.pseudo_linear.0", 1, 128)
            _linear(out, f"{p}.extractor.pseudo_linear.2", 128, dim)
        elif c["type"] in ("rhythm", "color"):
            dim, mid = cfg["dim"], cfg.get("mid_dim", 512 if c["type"] == "rhythm" else 1024)
            if dim != cd:
                _linear(out, f"{p}.proj_out", dim, cd)
            if dim != mid:
                _linear(out, f"{p}.proj_out1", dim, mid)
            _linear(out, f"{p}.proj_out2", mid, cd)
        elif c["type"] == "int":
            out[f"{p}.int_embedder.weight"] = (cfg["max_val"] - cfg["min_val"] + 1, cd)
        elif c["type"] == "number":
            out[f"{p}.embedder.embedding.0.weights"] = (128,)
            _linear(out, f"{p}.embedder.embedding.1", 257, cd)
        elif c["type"] == "t5":
            pass  # T5 lives outside the state dict; its projection is an identity at cond_dim 768
    return out


def training_wrapper_schema(cfg: dict, with_ema: bool = True) -> Dict[str, Shape]:
    model = cfg["model"]
    out: Dict[str, Shape] = {}
    dit = dit_schema(model["diffusion"]["config"])
    out.update({f"diffusion.model.model.{k}": v for k, v in dit.items()})
    out.update({f"diffusion.conditioner.conditioners.{k}": v for k, v in conditioner_schema(model["conditioning"]).items()})
    out.update({f"diffusion.pretransform.model.{k}": v for k, v in vae_schema(model["pretransform"]["config"]).items()})
    if with_ema:
        out["diffusion_ema.initted"] = (1,)
        out["diffusion_ema.step"] = (1,)
        out.update({f"diffusion_ema.ema_model.model.{k}": v for k, v in dit.items()})
    return out


def count(schema: Dict[str, Shape], prefix: str = "") -> int:
    return sum(math.prod(s) for k, s in schema.items() if k.startswith(prefix))
