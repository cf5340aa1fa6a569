// The running TIE states that start at these stakeholders (each pair once: a < b).
UNWIND $ids AS id
MATCH (a:Stakeholder {id: id})
WITH a
MATCH (a)-[t:TIE]->(b)
RETURN a.id AS a, b.id AS b, properties(t) AS t
