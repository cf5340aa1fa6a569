// A new API key (hash, role, times; never the secret), only when its id is free:
// no row back means the id is taken.
OPTIONAL MATCH (existing:ApiKey {id: $id})
WITH existing WHERE existing IS NULL
CREATE (k:ApiKey)
SET k = $props
RETURN properties(k) AS k
