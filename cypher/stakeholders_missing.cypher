// Which of these ids name no stakeholder: validation before a write.
UNWIND $ids AS id
OPTIONAL MATCH (s:Stakeholder {id: id})
WITH id, s WHERE s IS NULL
RETURN id
