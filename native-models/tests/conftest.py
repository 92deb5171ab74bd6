import os

# One thread: the CI box is small and shared, and OpenBLAS/OpenMP spinning under contention costs
# far more than it gains on these tiny models.
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import torch  # noqa: E402

torch.set_num_threads(1)


def pytest_terminal_summary(terminalreporter):
    from parity_report import REPORT
    if REPORT:
        terminalreporter.section("ONNX vs PyTorch parity (max abs diff)")
        for k, v in sorted(REPORT.items()):
            terminalreporter.write_line(f"{k:55s} {v:.3g}")
