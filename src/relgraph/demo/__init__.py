"""The demo network: a realistic, deterministic stakeholder network for trying relgraph out."""

from relgraph.demo.generate import (
    DEFAULT_END,
    DEFAULT_SEED,
    DEFAULT_SIZE,
    SIZES,
    DemoGenerator,
    DemoNetwork,
    RelationshipEnding,
    SizeSpec,
    generate,
)
from relgraph.demo.load import DemoCounts, load_demo, load_demo_if_empty

__all__ = [
    "DEFAULT_END",
    "DEFAULT_SEED",
    "DEFAULT_SIZE",
    "SIZES",
    "DemoCounts",
    "DemoGenerator",
    "DemoNetwork",
    "RelationshipEnding",
    "SizeSpec",
    "generate",
    "load_demo",
    "load_demo_if_empty",
]
