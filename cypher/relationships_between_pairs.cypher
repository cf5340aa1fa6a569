// The relationships between each of these pairs [a, b], either direction.
UNWIND $pairs AS pr
MATCH (a:Stakeholder {id: pr[0]})
MATCH (b:Stakeholder {id: pr[1]})
WITH pr, a, b
MATCH (a)-[r:{{TYPES}}]-(b)
RETURN pr[0] AS a, pr[1] AS b, properties(r) AS r, type(r) AS type, startNode(r).id AS from_id, endNode(r).id AS to_id
