// The sentiment of the interactions of each of these stakeholders in ($since, $until]:
// its own, and for an organisation those of its people (WORKS_FOR) made before they left
// it (an account's recent sentiment, DOMAIN.md §5 "Listening"). UNION keeps each
// interaction once per stakeholder when the organisation and its people both took part.
// The stakeholder is matched first, on its own, and the interaction end carries no label:
// else FalkorDB starts from an index over all interactions.
UNWIND $ids AS sid
MATCH (s:Stakeholder {id: sid})
WITH sid, s
MATCH (s)-[:PARTICIPATED]->(i)
WHERE i.at > $since AND i.at <= $until AND i.sentiment IS NOT NULL
RETURN sid, i.id AS id, i.at AS at, i.sentiment AS sentiment
UNION
UNWIND $ids AS sid
MATCH (s:Stakeholder {id: sid})
WITH sid, s
MATCH (p:Stakeholder)-[w:WORKS_FOR]->(s)
WITH sid, p, w
MATCH (p)-[:PARTICIPATED]->(i)
WHERE i.at > $since AND i.at <= $until AND i.sentiment IS NOT NULL
  AND (w.ended_at IS NULL OR w.ended_at > i.at)
RETURN sid, i.id AS id, i.at AS at, i.sentiment AS sentiment
