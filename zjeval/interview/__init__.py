"""The interview: a pure engine, the terminal session, and the prompts behind it."""
