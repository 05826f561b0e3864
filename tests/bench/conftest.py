import sys
from pathlib import Path

# bench/ lives at the repository root, beside src/ (which pytest already puts on the path).
ROOT = str(Path(__file__).resolve().parents[2])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
