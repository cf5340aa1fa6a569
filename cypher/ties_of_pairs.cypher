// The running TIE state of each pair [a, b] (a < b by id); pairs without one are absent.
UNWIND $pairs AS p
MATCH (a:Stakeholder {id: p[0]})-[t:TIE]->(b:Stakeholder {id: p[1]})
RETURN p[0] AS a, p[1] AS b, properties(t) AS t
