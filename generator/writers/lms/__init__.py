"""Learning-platform exports: an IMS Common Cartridge 1.1 course package, and the quizzes as a Moodle
XML and a GIFT question bank. Written by hand on the standard library (no Python library writes
Common Cartridge), the same bytes every build."""
