// How many interactions each of these stakeholders took part in, in a time window
// (totalCount of a stakeholder's interactions), in one round trip.
UNWIND $ids AS sid
MATCH (:Stakeholder {id: sid})-[:PARTICIPATED]->(i:Interaction)
WHERE i.at >= $since AND i.at < $until
RETURN sid, count(i) AS n
