"""`torchrun ... native-models/train.py ...`: torchrun launches a script, so this puts the package on
the path and runs v2m_models.train (same as `python -m v2m_models.train` with PYTHONPATH=native-models)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from v2m_models.train import main  # noqa: E402

if __name__ == "__main__":
    main()
