import copy
import json

import pytest

from v2m_models.config import ConfigError, load_model_config, parse_model_config, published_config_path, tiny_config_path


def raw(path=published_config_path()):
    return json.loads(open(path).read())


def test_published_config_values():
    s = load_model_config(published_config_path())
    assert (s.dit["embed_dim"], s.dit["depth"], s.dit["num_heads"], s.io_channels) == (1536, 24, 24, 64)
    assert s.cond_dim == 768 and s.dit["global_cond_dim"] == 2304
    assert s.downsampling_ratio == 2048 and s.latent_length == 645 and s.sample_rate == 44100
    assert abs(s.latent_rate - 21.533203125) < 1e-9
    assert s.max_seconds == 30 and s.use_ema and s.colour_context == "rhythm"
    assert (s.clip.image_size, s.clip.patch_size, s.clip.width, s.clip.output_dim) == (224, 32, 768, 512)


def test_tiny_config_keeps_the_structure():
    s, f = load_model_config(tiny_config_path()), load_model_config(published_config_path())
    assert [c.type for c in s.conditioners] == [c.type for c in f.conditioners if c.type != "t5"]
    assert s.cross_attention_cond_ids == f.cross_attention_cond_ids and s.global_cond_ids == f.global_cond_ids
    # key/value heads fewer than query heads, as in the full model (12 vs 24)
    dh = s.dit["embed_dim"] // s.dit["num_heads"]
    assert s.cond_dim // dh < s.dit["num_heads"]


@pytest.mark.parametrize("edit, message", [
    (lambda c: c["model"]["diffusion"]["config"].update(attention_weight_type="sigmoid"), "attention_weight_type"),
    (lambda c: c["model"]["diffusion"]["config"].update(global_cond_dim=100), "global_cond_dim"),
    (lambda c: c["model"]["diffusion"]["config"].update(io_channels=32), "latent_dim"),
    (lambda c: c["model"]["conditioning"].update(cond_dim=512), "cond_dim"),
    (lambda c: c.update(model_type="autoencoder"), "model_type"),
    (lambda c: c["model"]["diffusion"].update(cross_attention_cond_ids=["semantic", "rhythm", "nope"]), "nope"),
    (lambda c: c["model"]["pretransform"]["config"]["decoder"]["config"].update(strides=[2, 4, 4, 8, 4]), "downsampling_ratio"),
])
def test_bad_configs_are_refused_clearly(edit, message):
    c = raw()
    edit(c)
    with pytest.raises(ConfigError, match=message):
        parse_model_config(c)


def test_missing_and_broken_files(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_model_config(tmp_path / "nope.json")
    p = tmp_path / "bad.json"
    p.write_text("{not json")
    with pytest.raises(ConfigError, match="not valid JSON"):
        load_model_config(p)
