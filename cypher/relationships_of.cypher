// Every relationship touching these stakeholders, either direction, in one round trip.
UNWIND $ids AS sid
MATCH (s:Stakeholder {id: sid})-[r:{{TYPES}}]-(:Stakeholder)
RETURN sid, properties(r) AS r, type(r) AS type, startNode(r).id AS from_id, endNode(r).id AS to_id
