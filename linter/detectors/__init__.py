"""Detectors: each module parses one family of formats, once per run, into typed facts.

A detector is a function ``detect(workspace) -> Facts`` and is run through
``Workspace.facts(detect)`` so every rule that needs it shares one result.
"""
