// The pairs joined by a relationship of one communicating type, started by a moment, that
// had not interacted by then (no TIE, or a TIE whose first contact came later): channels
// never used, which the network summary counts as BROKEN. `CypherLibrary.over_types`
// joins a copy per communicating type with UNION ALL (one index seek per type).
MATCH (a:Stakeholder)-[r:{{TYPE}}]->(b:Stakeholder)
WHERE r.started_at <= $at
OPTIONAL MATCH (a)-[t:TIE]-(b)
WITH a, b, t
WHERE t IS NULL OR t.first > $at
RETURN a.id AS a, b.id AS b
