// Relationships of one type by id. The store joins one copy per type with UNION ALL,
// so that each branch is an index seek on that type's id index. The endpoints carry no
// label on purpose: with one, FalkorDB scans the label before using the index.
MATCH (a)-[r:{{TYPE}}]->(b)
WHERE r.id IN $ids
RETURN properties(r) AS r, type(r) AS type, a.id AS from_id, b.id AS to_id
