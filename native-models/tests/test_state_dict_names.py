"""The state-dict names and shapes of every model are pinned to a committed list.

Published checkpoints load by these names, so moving or renaming a module must not change them.
The list (fixtures/state_dict_names.json) was written by the code as it stood before the module
split; rewrite it (`PYTHONPATH=native-models /usr/bin/python3 native-models/tests/test_state_dict_names.py`)
only for a change of layout that is meant, since it breaks loading the released checkpoint.
"""
import json
import sys
from pathlib import Path
from unittest import mock

import pytest
import torch
from torch import nn

from v2m_models.config import parse_model_config, published_config_path, tiny_config_path
from v2m_models.diff_v2m import DiffV2MTrainingState
from v2m_models.export_modules import VaeDecoderGraph

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "state_dict_names.json"

# The checkpoint's top-level parts, compared one by one so that a failure names the component.
PARTS = ("diffusion.model.", "diffusion.conditioner.", "diffusion.pretransform.", "diffusion_ema.")


def _names(module: nn.Module):
    return [[k, list(v.shape)] for k, v in module.state_dict().items()]


def _published_depth1():
    """The published config at full width, one DiT block and one extractor block (names repeat per block)."""
    raw = json.loads(open(published_config_path()).read())
    raw["model"]["diffusion"]["config"]["depth"] = 1
    semantic = next(c for c in raw["model"]["conditioning"]["configs"] if c["id"] == "semantic")
    semantic["config"]["extractor_depth"] = 1
    return parse_model_config(raw)


def current_names() -> dict:
    torch.manual_seed(0)
    tiny = parse_model_config(json.loads(open(tiny_config_path()).read()))
    state = DiffV2MTrainingState(tiny, with_ema=True)
    out = {
        "tiny": {"training_state": _names(state), "vae_decoder_graph": _names(VaeDecoderGraph(state.diffusion))},
    }
    # Only names and shapes matter here: skipping the random init of ~300 M full-width weights saves seconds.
    noop = lambda self: None  # noqa: E731
    with mock.patch.object(nn.Linear, "reset_parameters", noop), \
            mock.patch.object(nn.modules.conv._ConvNd, "reset_parameters", noop), \
            mock.patch.object(nn.Embedding, "reset_parameters", noop):
        full = DiffV2MTrainingState(_published_depth1(), with_ema=True)
        out["published_depth1"] = {"training_state": _names(full)}
    return out


@pytest.fixture(scope="module")
def names():
    return current_names(), json.loads(FIXTURE.read_text())["models"]


@pytest.mark.parametrize("config", ["tiny", "published_depth1"])
@pytest.mark.parametrize("part", PARTS)
def test_training_state_names_unchanged(names, config, part):
    got, want = names
    pick = lambda rows: [r for r in rows if r[0].startswith(part)]  # noqa: E731
    assert pick(want[config]["training_state"]), f"fixture has no {part}* entries"
    assert pick(got[config]["training_state"]) == pick(want[config]["training_state"])


def test_whole_lists_unchanged(names):
    """Nothing outside the known parts, and the VAE decoder graph (weight norm folded) as exported."""
    got, want = names
    assert got == want


if __name__ == "__main__":
    doc = {"note": "state_dict names and shapes; see tests/test_state_dict_names.py", "models": current_names()}
    text = json.dumps(doc, indent=None, separators=(",", ":"))
    # one entry per line keeps diffs of this file readable
    text = text.replace("],[", "],\n[")
    FIXTURE.write_text(text + "\n")
    print(f"wrote {FIXTURE}", file=sys.stderr)
