// FalkorDB override of the API keys' schema: an index, then the unique constraint
// (a FalkorDB unique constraint needs an index on the same property first).
CREATE INDEX FOR (n:ApiKey) ON (n.id);
CONSTRAINT UNIQUE ApiKey id;
