"""Builds the blank spaCy pipeline (tokenizer only) that Rasa loads."""
