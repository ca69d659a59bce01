"""The action concept: measures (Einzelprojekte), their progress and its public history."""
