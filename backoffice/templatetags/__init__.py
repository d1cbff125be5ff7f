"""Template tags and filters of the back-office."""
