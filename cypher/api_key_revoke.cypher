// Revoke an API key; it is kept, with the time of its first revocation.
MATCH (k:ApiKey {id: $id})
SET k.revoked_at = coalesce(k.revoked_at, $now)
RETURN properties(k) AS k
