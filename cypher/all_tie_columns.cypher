// The running strength state of every pair (a < b by id) whose `a` lies in [$lo, $hi)
// ($hi null: no upper end), as eleven columns -- the tie snapshot's full read, in id
// ranges so that the ranges can be read concurrently:
//   a, b, i_ab, last_ab, i_ba, last_ba, first, last, count, sentiment_sum, sentiment_count
// with $never for an absent time. Columns of plain values ship and convert far faster
// than a row (or a list) per tie.
MATCH (a:Stakeholder)
WITH a, a.id AS id
WHERE id >= $lo AND ($hi IS NULL OR id < $hi)
MATCH (a)-[t:TIE]->(b:Stakeholder)
RETURN collect(a.id) AS a, collect(b.id) AS b,
       collect(coalesce(t.i_ab, 0.0)) AS i_ab, collect(coalesce(t.last_ab, $never)) AS last_ab,
       collect(coalesce(t.i_ba, 0.0)) AS i_ba, collect(coalesce(t.last_ba, $never)) AS last_ba,
       collect(coalesce(t.first, $never)) AS first, collect(coalesce(t.last, $never)) AS last,
       collect(coalesce(t.count, 0)) AS count, collect(coalesce(t.sentiment_sum, 0.0)) AS sentiment_sum,
       collect(coalesce(t.sentiment_count, 0)) AS sentiment_count
