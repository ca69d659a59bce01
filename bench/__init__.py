"""`make bench`: the Cologne-scale benchmark (not part of `make test`)."""
