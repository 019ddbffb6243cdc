"""Chorus: split, group and analyse many LLM answers to the same prompt."""
