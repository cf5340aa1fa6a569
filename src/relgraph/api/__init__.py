"""The GraphQL API over the stakeholder network: strawberry on FastAPI, served by uvicorn.

`relgraph.api.app:create_app` is the uvicorn factory; `relgraph.api.schema:schema` is the
schema (its SDL is kept in `schema/schema.graphql`, see `relgraph.api.sdl`).
"""
