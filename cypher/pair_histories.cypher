// The histories of many pairs [a, b] at once, up to a time (batched trends and channel states).
UNWIND $pairs AS pr
MATCH (a:Stakeholder {id: pr[0]})-[:PARTICIPATED]->(i:Interaction)<-[:PARTICIPATED]-(b:Stakeholder {id: pr[1]})
WHERE i.at <= $until AND (i.initiator_id = pr[0] OR i.initiator_id = pr[1])
RETURN pr[0] AS a, pr[1] AS b, i.type AS type, i.at AS at, i.initiator_id AS initiator_id, i.sentiment AS sentiment
