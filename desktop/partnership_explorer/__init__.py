"""Partnership Explorer: turn press articles about a partnership into a dated, sourced event timeline."""

__version__ = "0.1.0"
