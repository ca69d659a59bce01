"""Evaluation: planners answer proposals and comments on the draft in public."""
