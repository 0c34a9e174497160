"""`python -m generator` runs the lessonpack command."""

from .cli import run

run()
