"""Runners: build packs (with the cache and worker processes), print runs, watch, authoring commands."""
