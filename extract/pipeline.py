"""The extraction pipeline (being written)."""
