// One API key by its id, to check a presented key against its hash.
MATCH (k:ApiKey {id: $id})
RETURN properties(k) AS k
