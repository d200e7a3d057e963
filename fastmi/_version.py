"""The version of fastmi, in one place (the package and its outputs read it)."""

__version__ = "0.1.0"
