"""servicedir: one catalogue of public services, every channel people reach a government through."""

__version__ = "0.1.0"
