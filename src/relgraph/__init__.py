"""relgraph: relationship marketing on a stakeholder graph."""

__version__ = "0.1.0"
