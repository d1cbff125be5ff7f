"""URLs: Entrepreneurs, workspaces, service agreements and usage."""

workspace_patterns: list = []
staff_patterns: list = []
