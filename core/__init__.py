"""The shared core: what both Python environments import.

The Rasa server (Python 3.10, `bot/` is its plugin) and the app environment (Python 3.11: the
action server, the web app, the directory) both use crisis detection (`core.crisis`),
redaction before anything is stored or logged (`core.redaction`, `core.log_redaction`),
reading a message's language (`core.language`) and the contract's shapes (`core.contract`).
Standard library only, written for Python 3.10, and type-checked with the app packages.
"""
