// A page of stakeholder ids in id order (keyset paging for whole-network reads).
MATCH (s:Stakeholder)
WHERE s.id > $after
RETURN s.id AS id
ORDER BY id
LIMIT $limit
