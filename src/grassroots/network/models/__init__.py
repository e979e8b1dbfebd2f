"""Models, one module per concept; each is imported here so Django finds it."""
