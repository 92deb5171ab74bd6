"""`python native-models/prepare.py ...`: runs v2m_models.prepare with the package on the path."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from v2m_models.prepare import main  # noqa: E402

if __name__ == "__main__":
    main()
