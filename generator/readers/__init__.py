"""Readers: YAML files (specs, policies, print sets) and seed essays in, validated, with positions."""
