"""Evaluation: planners answer proposals in public."""
