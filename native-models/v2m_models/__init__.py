"""PyTorch reference of Diff-V2M, checkpoint → ONNX model-pack export, tiny packs and training.

Run from the repository root with Debian's Python: `PYTHONPATH=native-models /usr/bin/python3 -m
v2m_models.export --help` (also `.tiny`, `.train`, `.prepare`). See native-models/README.md.
"""
