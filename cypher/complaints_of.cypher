// The complaints each of these stakeholders filed, newest first.
UNWIND $ids AS sid
MATCH (:Stakeholder {id: sid})-[:FILED]->(c:Complaint)
WITH sid, c ORDER BY c.received_at DESC
RETURN sid, collect(properties(c)) AS items
