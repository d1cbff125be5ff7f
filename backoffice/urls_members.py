"""URLs: Members of a workspace and invitations."""

workspace_patterns: list = []
staff_patterns: list = []
