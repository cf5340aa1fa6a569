// The current relationships of one type between pairs without interactions (no TIE, so
// no measured strength), with the analyst's assessed strength when one was recorded: the
// influence projection counts such a pair at its assessed strength, or reports it left
// out. Joined over every type with UNION ALL (`CypherLibrary.over_all_types`).
MATCH (a:Stakeholder)-[r:{{TYPE}}]->(b:Stakeholder)
WHERE r.ended_at IS NULL
OPTIONAL MATCH (a)-[t:TIE]-(b)
WITH a, b, r, t
WHERE t IS NULL
RETURN a.id AS a, b.id AS b, r.assessed_strength AS assessed, r.assessed_at AS assessed_at
