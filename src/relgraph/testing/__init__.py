"""Test helpers for relgraph, such as a real Neo4j server launcher for integration tests."""
