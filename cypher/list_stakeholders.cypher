// A page of stakeholders. relgraph.store.listing builds the fragments from allowlists
// only (every value is a parameter): {{WHERE}} the filter, {{KEY}} the sort expression,
// {{AFTER}} the keyset position, {{ORDER}} the direction.
// The keyset test compares the projected sort_key and tie, never raw properties: FalkorDB
// answers `indexed_string < $x` from its index with the upper bound ignored.
MATCH (s:Stakeholder)
{{WHERE}}
WITH s, {{KEY}} AS sort_key, s.id AS tie
{{AFTER}}
RETURN properties(s) AS s, sort_key, tie
ORDER BY {{ORDER}}
LIMIT $limit
