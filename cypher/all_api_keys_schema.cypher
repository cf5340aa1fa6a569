// API keys' schema (Neo4j), set up with the main schema: a unique key id.
// Named all_* because it is DDL, not a query, for the query-plan guard.
CREATE CONSTRAINT api_key_id IF NOT EXISTS FOR (n:ApiKey) REQUIRE n.id IS UNIQUE;
