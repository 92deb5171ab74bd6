"""Run an ONNX file with onnxruntime-node (there is no onnxruntime for Python here)."""
from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Dict

import numpy as np

RUNNER = Path(__file__).with_name("ort_run.mjs")


class OrtUnavailable(RuntimeError):
    pass


def node_binary() -> str:
    node = shutil.which("node")
    if node is None:
        raise OrtUnavailable("node is not on PATH (needed to run onnxruntime-node)")
    return node


def run_onnx(model: Path, inputs: Dict[str, np.ndarray]) -> Dict[str, np.ndarray]:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        spec = []
        for name, arr in inputs.items():
            arr = np.ascontiguousarray(arr)
            f = tmp / f"in_{name}.bin"
            arr.astype(arr.dtype.newbyteorder("<")).tofile(f)
            spec.append({"name": name, "dtype": arr.dtype.name, "shape": list(arr.shape), "file": str(f)})
        req = tmp / "request.json"
        req.write_text(json.dumps({"model": str(Path(model).resolve()), "inputs": spec, "out_dir": str(tmp / "out")}))
        proc = subprocess.run([node_binary(), str(RUNNER), str(req)], capture_output=True, text=True,
                              cwd=str(RUNNER.parent))
        if proc.returncode != 0:
            msg = proc.stderr.strip()
            if "Cannot find package 'onnxruntime-node'" in msg or "ERR_MODULE_NOT_FOUND" in msg:
                raise OrtUnavailable(f"onnxruntime-node is not installed (run npm ci at the repo root): {msg[-400:]}")
            raise RuntimeError(f"onnxruntime-node failed on {model}: {msg[-2000:]}")
        index = json.loads((tmp / "out" / "outputs.json").read_text())
        out = {}
        for name, d in index.items():
            out[name] = np.fromfile(d["file"], dtype=np.dtype(d["dtype"])).reshape(d["shape"])
        return out
