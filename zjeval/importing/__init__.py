"""Turning a published report (web page, Markdown, Word) into answers for a form."""
