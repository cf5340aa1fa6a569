// Every API key, revoked ones too (`relgraph keys list`): a handful of nodes.
MATCH (k:ApiKey)
RETURN properties(k) AS k
