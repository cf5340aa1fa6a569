// The running TIE states that start at these stakeholders (each pair once: a < b), as
// positional rows for the influence projection (lists serialise far faster than maps):
// [a, b, i_ab, last_ab, i_ba, last_ba, first, last, count, sentiment_sum, sentiment_count]
UNWIND $ids AS id
MATCH (a:Stakeholder {id: id})
WITH a
MATCH (a)-[t:TIE]->(b)
RETURN [a.id, b.id, t.i_ab, t.last_ab, t.i_ba, t.last_ba, t.first, t.last, t.count, t.sentiment_sum, t.sentiment_count] AS row
