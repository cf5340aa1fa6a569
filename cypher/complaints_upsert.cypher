// Complaints in whatever state they have reached, by id (imports, demo data).
UNWIND $rows AS row
MATCH (s:Stakeholder {id: row.stakeholder_id})
MERGE (c:Complaint {id: row.id})
SET c = row.props
MERGE (s)-[:FILED]->(c)
RETURN count(c) AS n
