"""Tests of the GraphQL API, over HTTP against a real uvicorn and both backends."""
