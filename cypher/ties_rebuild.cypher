// Overwrite pairs' running strength with states replayed from their whole history
// (`relgraph strength rebuild`, after the half-life or the weights changed).
//   $pairs: [a, b, i_ab, last_ab, i_ba, last_ba, first, last, count, sentiment_sum, sentiment_count]
UNWIND $pairs AS pr
MATCH (a:Stakeholder {id: pr[0]})
MATCH (b:Stakeholder {id: pr[1]})
MERGE (a)-[t:TIE]->(b)
SET t.i_ab = pr[2], t.last_ab = pr[3], t.i_ba = pr[4], t.last_ba = pr[5], t.first = pr[6], t.last = pr[7],
    t.count = pr[8], t.sentiment_sum = pr[9], t.sentiment_count = pr[10]
RETURN count(t) AS n
