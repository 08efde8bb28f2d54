"""Data as offices hold it: labels for codes, day-first dates, CSV delimiters, completeness, mappings.

Modules here import engine.codes and the standard library only, except where they say otherwise, so
that engine.model can use them.
"""
