"""ONNX export, external-data saving and the fp32 → fp16 conversion."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Dict, List, Sequence

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
import torch

OPSET = 17
TWO_GB = 2 * 1024 ** 3
FP16_MAX = 65504.0


def export_graph(module: torch.nn.Module, args: tuple, path: Path, input_names: List[str], output_names: List[str],
                 dynamic_axes: Dict[str, Dict[int, str]], external: bool | None = None) -> List[Path]:
    """torch → ONNX (opset 17). Weights go to `<name>.data` beside the graph when the model is over
    2 GB (protobuf's limit) or when `external` is True. Returns the files written."""
    module = module.eval()
    for p in module.parameters():
        p.requires_grad_(False)
    path = Path(path)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = os.path.join(tmp, "model.onnx")
        torch.onnx.export(module, args, tmp_path, opset_version=OPSET, input_names=input_names,
                          output_names=output_names, dynamic_axes=dynamic_axes, do_constant_folding=True)
        model = onnx.load(tmp_path)
    return save_model(model, path, external)


def _initializer_bytes(model: onnx.ModelProto) -> int:
    total = 0
    for t in model.graph.initializer:
        n = int(np.prod(t.dims)) if len(t.dims) else 1
        total += n * onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[t.data_type].itemsize
    return total


def save_model(model: onnx.ModelProto, path: Path, external: bool | None = None) -> List[Path]:
    path = Path(path)
    if external is None:
        external = _initializer_bytes(model) > TWO_GB - 64 * 1024 ** 2
    data = path.with_name(path.name + ".data")
    for stale in (path, data):
        if stale.exists():
            stale.unlink()
    if external:
        onnx.save_model(model, str(path), save_as_external_data=True, all_tensors_to_one_file=True,
                        location=data.name, size_threshold=1024, convert_attribute=False)
        return [path, data] if data.exists() else [path]
    onnx.save_model(model, str(path))
    return [path]


def _to_fp16_tensor(t: TensorProto) -> TensorProto:
    arr = numpy_helper.to_array(t)
    arr = np.clip(arr, -FP16_MAX, FP16_MAX).astype(np.float16)
    return numpy_helper.from_array(arr, t.name)


FP32_SCOPES = ("/rotary_pos_emb/", "/zscore/")


def _float_types(model: onnx.ModelProto) -> Dict[str, int]:
    """Element types of every value. Inference runs on a weight-free copy (initializers turned into
    typed inputs), since a model over 2 GB cannot be serialised for the shape-inference pass."""
    g = model.graph
    light = helper.make_graph(list(g.node), "types", list(g.input) + [
        helper.make_tensor_value_info(t.name, t.data_type, list(t.dims)) for t in g.initializer], list(g.output))
    lm = helper.make_model(light, opset_imports=list(model.opset_import))
    lm.ir_version = model.ir_version
    inferred = onnx.shape_inference.infer_shapes(lm)
    types = {}
    for v in list(inferred.graph.value_info) + list(inferred.graph.input) + list(inferred.graph.output):
        types[v.name] = v.type.tensor_type.elem_type
    for t in inferred.graph.initializer:
        types[t.name] = t.data_type
    return types


def convert_fp16(model: onnx.ModelProto, keep_fp32_scopes: Sequence[str] = FP32_SCOPES) -> onnx.ModelProto:
    """Half-precision weights and arithmetic with float32 graph inputs and outputs (casts at the
    edges), so the runtime feeds the same arrays to either variant. Nodes under `keep_fp32_scopes`
    (rotary tables, the extractor's z-score) stay float32 with casts around them. Float constants
    are saturated to ±65504, so a masked logit of -FLT_MAX becomes the largest fp16 negative."""
    types = _float_types(model)
    m = onnx.ModelProto()
    m.CopyFrom(model)
    g = m.graph
    names = [n.name for n in g.node]
    if len(set(names)) != len(names):
        raise ValueError("fp16 conversion needs unique node names")
    kept_names = {n for n in names if any(sc in n for sc in keep_fp32_scopes)}
    consumers: Dict[str, list] = {}
    for n in g.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)
    producer = {o: n for n in g.node for o in n.output}
    fp32_inits = set()
    for t in g.initializer:
        users = consumers.get(t.name, [])
        if users and all(u.name in kept_names for u in users):
            fp32_inits.add(t.name)
    for i, t in enumerate(g.initializer):
        if t.data_type == TensorProto.FLOAT and t.name not in fp32_inits:
            g.initializer[i].CopyFrom(_to_fp16_tensor(t))
    for node in g.node:
        if node.name in kept_names:
            continue
        for a in node.attribute:
            if node.op_type == "Cast" and a.name == "to" and a.i == TensorProto.FLOAT:
                a.i = TensorProto.FLOAT16
            if a.type == onnx.AttributeProto.TENSOR and a.t.data_type == TensorProto.FLOAT:
                a.t.CopyFrom(_to_fp16_tensor(a.t))
        if node.op_type.startswith("Random"):
            raise ValueError(f"fp16 conversion: random op {node.op_type} is not expected in an inference graph")
    graph_inputs = {i.name for i in g.input if i.type.tensor_type.elem_type == TensorProto.FLOAT}
    graph_outputs = {o.name for o in g.output if o.type.tensor_type.elem_type == TensorProto.FLOAT}
    pre, post, bridges = [], [], {}

    def bridge(name: str, to: int, before: list) -> str:
        key = (name, to)
        if key not in bridges:
            out = f"{name}__{'fp16' if to == TensorProto.FLOAT16 else 'fp32'}"
            before.append(helper.make_node("Cast", [name], [out], to=to, name=out + "_cast"))
            bridges[key] = out
        return bridges[key]

    body = []
    for node in g.node:
        in_kept = node.name in kept_names
        for j, name in enumerate(node.input):
            if not name or types.get(name) != TensorProto.FLOAT or name in fp32_inits:
                continue
            src_kept = name in producer and producer[name].name in kept_names
            if name in graph_inputs:
                if not in_kept:
                    node.input[j] = bridge(name, TensorProto.FLOAT16, pre)
            elif in_kept and not src_kept:
                node.input[j] = bridge(name, TensorProto.FLOAT, body)
            elif not in_kept and src_kept:
                node.input[j] = bridge(name, TensorProto.FLOAT16, body)
        body.append(node)
    for out in g.output:
        if out.name not in graph_outputs:
            continue
        src = producer.get(out.name)
        if src is not None and src.name in kept_names:
            continue
        internal = out.name + "__fp16out"
        for node in body:
            for j, n in enumerate(node.output):
                if n == out.name:
                    node.output[j] = internal
            for j, n in enumerate(node.input):
                if n == out.name:
                    node.input[j] = internal
        post.append(helper.make_node("Cast", [internal], [out.name], to=TensorProto.FLOAT, name=out.name + "_to_fp32"))
    del g.node[:]
    g.node.extend(pre + body + post)
    del g.value_info[:]
    return m


def io_description(model_path: Path) -> Dict[str, list]:
    """Names, symbolic shapes and dtypes of the graph's inputs and outputs, for the manifest."""
    m = onnx.load(str(model_path), load_external_data=False)

    def describe(vis: Sequence[onnx.ValueInfoProto]):
        out = []
        for v in vis:
            tt = v.type.tensor_type
            shape = [d.dim_param if d.dim_param else int(d.dim_value) for d in tt.shape.dim]
            out.append({"name": v.name, "dtype": np.dtype(onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[tt.elem_type]).name,
                        "shape": shape})
        return out

    return {"inputs": describe(m.graph.input), "outputs": describe(m.graph.output)}
