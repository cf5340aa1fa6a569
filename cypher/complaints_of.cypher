// The complaints each of these stakeholders filed, newest first.
// The stakeholder is matched first, on its own, and the far end carries no label: else
// FalkorDB starts from an index over all interactions or complaints.
UNWIND $ids AS sid
MATCH (s:Stakeholder {id: sid})
WITH sid, s
MATCH (s)-[:FILED]->(c)
WITH sid, c ORDER BY c.received_at DESC
RETURN sid, collect(properties(c)) AS items
