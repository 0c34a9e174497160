"""lessonpack: YAML lesson specs to safe, printable classroom packs (PDF and DOCX).

The flow, one way: readers/ (YAML and seed files in, validated) → lesson/ (content guidance,
wording, and compose: a lesson becomes a document) → model.py (the document) → writers/ (one
module per output format) → runners/ (build, cache, print runs, watch) → cli.py.
"""

from pathlib import Path

__version__ = "0.1.0"

# The installed package, and the data files shipped inside it (policy, support services).
PACKAGE = Path(__file__).resolve().parent
DATA = PACKAGE / "data"
