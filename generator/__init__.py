"""lessonpack: YAML lesson specs to safe, printable classroom packs (PDF and DOCX)."""

__version__ = "0.1.0"
