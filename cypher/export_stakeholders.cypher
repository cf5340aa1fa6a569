// One page of an export: the stakeholders with these ids (index seeks on the id).
UNWIND $ids AS id
MATCH (s:Stakeholder {id: id})
RETURN properties(s) AS s
