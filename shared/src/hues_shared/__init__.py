"""hues_shared."""
