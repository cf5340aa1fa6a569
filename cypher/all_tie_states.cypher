// Every pair's running strength state (a < b by id) as positional rows in one list, for
// the tie snapshot of whole-network views:
//   [a, b, i_ab, last_ab, i_ba, last_ba, first, last, count, sentiment_sum, sentiment_count]
// with $never for an absent time. One list of lists ships far faster than a row a tie.
MATCH (a:Stakeholder)-[t:TIE]->(b:Stakeholder)
RETURN collect([a.id, b.id, coalesce(t.i_ab, 0.0), coalesce(t.last_ab, $never), coalesce(t.i_ba, 0.0),
                coalesce(t.last_ba, $never), coalesce(t.first, $never), coalesce(t.last, $never),
                coalesce(t.count, 0), coalesce(t.sentiment_sum, 0.0), coalesce(t.sentiment_count, 0)]) AS ties
