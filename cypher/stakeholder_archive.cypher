// Archiving keeps the node and its history; archiving twice keeps the first time.
MATCH (s:Stakeholder {id: $id})
SET s.archived = true, s.archived_at = coalesce(s.archived_at, $now), s.updated_at = $now
RETURN properties(s) AS s
