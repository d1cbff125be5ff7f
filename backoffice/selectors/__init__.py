"""Reads: querysets shaped for the page that uses them, and the 404-ing lookup helpers."""
