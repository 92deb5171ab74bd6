import json
from pathlib import Path

import numpy as np
import pytest

from v2m_models.ort_node import OrtUnavailable, node_binary, run_onnx

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "tiny"


def require_ort():
    try:
        node_binary()
    except OrtUnavailable as e:
        pytest.skip(str(e))


def load_tensor(base: Path, d: dict) -> np.ndarray:
    return np.fromfile(base / d["file"], dtype=np.dtype(d["dtype"])).reshape(d["shape"])


def goldens():
    g = json.loads((FIXTURES / "goldens" / "goldens.json").read_text())
    return g, FIXTURES / "goldens"
