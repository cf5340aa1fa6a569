// Complaints by id.
UNWIND $ids AS id
MATCH (c:Complaint {id: id})
RETURN properties(c) AS c
