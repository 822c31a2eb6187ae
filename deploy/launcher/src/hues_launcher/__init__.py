"""hues_launcher."""
