// One page of an export: the relationships of one type with these ids, with their
// endpoints (an index seek on the type's id index; unlabelled endpoints, as above).
MATCH (a)-[r:{{TYPE}}]->(b)
WHERE r.id IN $ids
RETURN properties(r) AS r, a.id AS from_id, b.id AS to_id
