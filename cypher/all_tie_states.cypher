// Every pair's running strength state as plain columns (a < b by id), for the tie
// snapshot of whole-network views. Columns, not properties(t): maps cost more to ship.
MATCH (a:Stakeholder)-[t:TIE]->(b:Stakeholder)
RETURN a.id AS a, b.id AS b, t.i_ab AS i_ab, t.last_ab AS last_ab, t.i_ba AS i_ba, t.last_ba AS last_ba,
       t.first AS first, t.last AS last, t.count AS count, t.sentiment_sum AS sentiment_sum,
       t.sentiment_count AS sentiment_count
