// Stamp the strength rule the stored running states were (re)built under.
MERGE (r:StrengthRule {id: 'strength'})
SET r.version = $version
RETURN r.version AS version
