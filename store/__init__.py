"""NQDB store layer: the only code that talks to pyoxigraph; speaks plain Python to its callers."""
