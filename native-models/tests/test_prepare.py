"""Reading the app's analysis output for training data."""
import base64
import json

import numpy as np
import pytest

from v2m_models.prepare import read_analysis, read_rhythm


def analysis(tmp_path, inline: bool):
    hist = np.arange(3 * 12, dtype=np.float32).reshape(3, 12) / 100
    j = {"version": 1, "durationSec": 2.9, "seconds": 3, "sceneVector": [1, 0, 1], "visualBeatVector": [0.0, 0.5, 0.25]}
    if inline:
        ref = {"dtype": "float32", "length": hist.size, "base64": base64.b64encode(hist.tobytes()).decode()}
    else:
        pad = np.zeros(2, np.float64).tobytes()  # another array before ours in the sidecar
        (tmp_path / "a.bin").write_bytes(pad + hist.tobytes())
        ref = {"dtype": "float32", "length": hist.size, "offset": len(pad), "byteLength": hist.nbytes}
        j["binaryFile"] = "a.bin"
    j["colourHistograms"] = {"dim": 12, "rows": 3, "times": [0, 1, 2], "recipe": "rgb-uv", "data": ref}
    p = tmp_path / "a.json"
    p.write_text(json.dumps(j))
    return p, hist


@pytest.mark.parametrize("inline", [True, False])
def test_read_analysis(tmp_path, inline):
    p, hist = analysis(tmp_path, inline)
    a = read_analysis(p)
    assert a["scene_cut"].tolist() == [1, 0, 1] and a["scene_cut"].dtype == np.int64
    assert a["pseudo_beat"].tolist() == [0.0, 0.5, 0.25]
    assert np.array_equal(a["colour"], hist)


def test_read_analysis_refuses_other_json(tmp_path):
    p = tmp_path / "x.json"
    p.write_text(json.dumps({"hello": 1}))
    with pytest.raises(ValueError, match="v2m analyze"):
        read_analysis(p)


def test_read_rhythm():
    assert read_rhythm({"odfLR": [[0.0], [1.5], [0.2]]}).tolist() == [0.0, 1.5, np.float32(0.2)]
    with pytest.raises(ValueError, match="odfLR"):
        read_rhythm({"onsets": []})
