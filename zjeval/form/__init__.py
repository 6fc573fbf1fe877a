"""Forms as data: the form and framework models, loading and validating them, numbering."""
