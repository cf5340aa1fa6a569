// The latest interactions of each of these stakeholders, newest first, in a time window.
UNWIND $ids AS sid
MATCH (:Stakeholder {id: sid})-[:PARTICIPATED]->(i:Interaction)
WHERE i.at >= $since AND i.at < $until
WITH sid, i ORDER BY i.at DESC
WITH sid, collect(properties(i)) AS items
RETURN sid, items[0..$limit] AS items
