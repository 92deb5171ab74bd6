"""Synthetic (video, music) training examples for the training tests."""
import numpy as np

from v2m_models.data import Example, spec_dims, write_shards


def synthetic_pairs(spec, n=8, seed=0, audio=False, ragged=False):
    """Music latents and ODF that depend on the 'video' features, so there is something to learn.
    audio=True gives raw audio instead of latents (encoded on the fly by the trainer); ragged=True
    makes some clips shorter than the config's length (masked seconds)."""
    rng = np.random.default_rng(seed)
    T, D, C, L = spec.max_seconds, spec.clip.output_dim, spec.io_channels, spec.latent_length
    out = []
    for i in range(n):
        t = T - (i % 3 if ragged else 0)
        clip = rng.standard_normal((t, D)).astype(np.float32)
        beat = rng.random(t).astype(np.float32)
        scene = (rng.random(t) < 0.3).astype(np.int64)
        odf = (2.0 * beat + scene).astype(np.float32)
        freq = 1 + (clip[:, 0].mean() > 0) + i % 2
        e = Example(clip=clip, scene_cut=scene, pseudo_beat=beat, odf=odf, seconds_total=float(t))
        if audio:
            s = np.arange(spec.sample_size)[None, :]
            e.audio = (0.5 * np.sin(s * freq * 2 * np.pi / 64 + np.arange(spec.audio_channels)[:, None])).astype(np.float32)
        else:
            phase = np.arange(L)[None, :] * freq * 2 * np.pi / L + np.arange(C)[:, None]
            e.latents = (np.sin(phase) * (1 + 0.1 * clip[0, :C, None])).astype(np.float32)
        out.append(e)
    return out


def synthetic_folder(spec, path, n=10, shard_size=3, **kw):
    write_shards(synthetic_pairs(spec, n=n, **kw), path, max_seconds=spec.max_seconds, dims=spec_dims(spec),
                 shard_size=shard_size)
    return path
