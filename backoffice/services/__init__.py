"""Writes (HackSoft style): keyword-only functions `<thing>_<verb>`, atomic, audited."""
