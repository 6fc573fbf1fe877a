"""Form + answers -> problems (check), the scorecard (scoring), year-over-year changes (diff)."""
