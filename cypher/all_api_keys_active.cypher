// Is any API key in force (neither revoked nor expired at $now)? Decides whether the API
// asks for credentials. Keys are few, and the answer is cached for a moment in each process.
MATCH (k:ApiKey)
WHERE k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > $now)
RETURN k.id AS id
LIMIT 1
