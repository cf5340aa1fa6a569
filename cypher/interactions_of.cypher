// The latest interactions of each of these stakeholders, newest first, in a time window.
// The stakeholder is matched first, on its own, and the far end carries no label: else
// FalkorDB starts from an index over all interactions or complaints.
UNWIND $ids AS sid
MATCH (s:Stakeholder {id: sid})
WITH sid, s
MATCH (s)-[:PARTICIPATED]->(i)
WHERE i.at >= $since AND i.at < $until
WITH sid, i ORDER BY i.at DESC
WITH sid, collect(properties(i)) AS items
RETURN sid, items[0..$limit] AS items
