"""Evaluation as of a date: derived facts, the evaluator, findings, remedies, retirement."""
