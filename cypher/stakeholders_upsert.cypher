// Idempotent upsert of a batch by id (imports, demo data): same rows, same graph.
UNWIND $rows AS row
MERGE (s:Stakeholder {id: row.id})
ON CREATE SET s.created_at = row.created_at
SET s += row.props
RETURN count(s) AS n
