"""lessonpack: YAML lesson specs to safe classroom packs (PDF and DOCX handouts, a PPTX deck, a web
edition, learning-platform exports).

The flow, one way: readers/ (YAML and seed files in, validated) → lesson/ (content guidance,
wording, and compose: a lesson becomes a document) → model.py (the document) → writers/ (one
module per output format) → runners/ (build, cache, print runs, watch, authoring, importing) → cli.py.
"""

from pathlib import Path

__version__ = "0.1.0"

# The installed package, and the data files shipped inside it (policy, support services).
PACKAGE = Path(__file__).resolve().parent
DATA = PACKAGE / "data"
