// Stakeholders by id, in one round trip (DataLoader batches).
UNWIND $ids AS id
MATCH (s:Stakeholder {id: id})
RETURN properties(s) AS s
