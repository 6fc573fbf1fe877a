"""Answers and their values: the model, parsing and formatting values, the files on disk."""
