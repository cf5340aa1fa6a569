// The current relationships of one type between pairs without interactions (no TIE, so
// no measured strength), as four columns: a, b, the analyst's assessed strength and when
// it was assessed (-1: none). The influence projection counts such a pair at its assessed
// strength, or reports the relationship left out. Joined over every type with UNION ALL
// (`CypherLibrary.over_all_types`). The TIE is looked up one direction at a time: FalkorDB
// plans an undirected pattern between two bound nodes far worse (docs/influence.md).
MATCH (a:Stakeholder)-[r:{{TYPE}}]->(b:Stakeholder)
WHERE r.ended_at IS NULL
OPTIONAL MATCH (a)-[t1:TIE]->(b)
OPTIONAL MATCH (b)-[t2:TIE]->(a)
WITH a, b, r, t1, t2
WHERE t1 IS NULL AND t2 IS NULL
RETURN collect(a.id) AS a, collect(b.id) AS b,
       collect(coalesce(r.assessed_strength, -1.0)) AS assessed, collect(coalesce(r.assessed_at, -1)) AS assessed_at
