// Is any API key in force? Decides whether the API asks for credentials. Keys are few,
// and the answer is cached for a moment in each process.
MATCH (k:ApiKey)
WHERE k.revoked_at IS NULL
RETURN k.id AS id
LIMIT 1
