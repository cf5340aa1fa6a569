// Idempotent upsert of a batch of one relationship type by id (imports, demo data).
UNWIND $rows AS row
MATCH (a:Stakeholder {id: row.from_id}), (b:Stakeholder {id: row.to_id})
MERGE (a)-[r:{{TYPE}} {id: row.id}]->(b)
SET r += row.props
RETURN count(r) AS n
