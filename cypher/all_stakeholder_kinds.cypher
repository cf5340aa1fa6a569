// A page of stakeholders' ids and kinds in id order: the nodes of the influence projection
// (keyset paging, so a whole-network read never holds one huge result).
MATCH (s:Stakeholder)
WHERE s.id > $after
RETURN s.id AS id, s.kind AS kind
ORDER BY id
LIMIT $limit
