// FalkorDB override: the same list, as one JSON text. FalkorDB ships a reply value by
// value (~25 µs a tie for eleven values); one text of JSON ships ~3x faster, and parses
// in C. JSON keeps 15 significant digits of a float: 1e-15 relative, far inside the
// 1e-9 the strength model promises.
// FalkorDB 4.16's toJSON does not escape '"' or '\' inside strings, so while any id holds
// one of them the list is sent as a list (slower, always right). Ids never hold control
// characters (the API refuses them), the only other characters JSON must escape.
OPTIONAL MATCH (s:Stakeholder)
WHERE s.id CONTAINS '"' OR s.id CONTAINS '\\'
WITH count(s) = 0 AS safe
MATCH (a:Stakeholder)-[t:TIE]->(b:Stakeholder)
WITH safe, collect([a.id, b.id, coalesce(t.i_ab, 0.0), coalesce(t.last_ab, $never), coalesce(t.i_ba, 0.0),
                    coalesce(t.last_ba, $never), coalesce(t.first, $never), coalesce(t.last, $never),
                    coalesce(t.count, 0), coalesce(t.sentiment_sum, 0.0), coalesce(t.sentiment_count, 0)]) AS ties
RETURN CASE WHEN safe THEN toJSON(ties) ELSE ties END AS ties
