"""Builds the blank spaCy pipeline (entity ruler with place, need and insurance terms) for Rasa."""
