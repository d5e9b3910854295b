"""The Baby Steps delivery platform."""
