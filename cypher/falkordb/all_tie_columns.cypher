// FalkorDB override: the same eleven columns as one JSON text. FalkorDB ships a reply
// value by value; one text of JSON ships ~3x faster and parses in C (JSON keeps 15
// significant digits of a float: 1e-15 relative, far inside the 1e-9 the strength model
// promises). Most of this read's time is FalkorDB formatting the JSON on one thread per
// query, which is why the store reads several id ranges at once. The range is tested on
// the projected id, not on `a.id` itself: with `a.id >= $lo` FalkorDB's planner answers
// from the id index, and that range scan returned ids outside the range for mixed-case
// and non-ASCII ids (the bundled FalkorDB; see test_influence_service), reading ties twice.
// toJSON does not escape '"' or '\' inside strings, so while any id holds one of them the
// columns are sent as lists (slower, always right).
OPTIONAL MATCH (s:Stakeholder)
WHERE s.id CONTAINS '"' OR s.id CONTAINS '\\'
WITH count(s) = 0 AS safe
MATCH (a:Stakeholder)
WITH safe, a, a.id AS id
WHERE id >= $lo AND ($hi IS NULL OR id < $hi)
MATCH (a)-[t:TIE]->(b:Stakeholder)
WITH safe, [collect(a.id), collect(b.id),
            collect(coalesce(t.i_ab, 0.0)), collect(coalesce(t.last_ab, $never)),
            collect(coalesce(t.i_ba, 0.0)), collect(coalesce(t.last_ba, $never)),
            collect(coalesce(t.first, $never)), collect(coalesce(t.last, $never)),
            collect(coalesce(t.count, 0)), collect(coalesce(t.sentiment_sum, 0.0)),
            collect(coalesce(t.sentiment_count, 0))] AS columns
RETURN CASE WHEN safe THEN toJSON(columns) ELSE columns END AS ties
