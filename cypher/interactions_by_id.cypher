// Interactions by id.
UNWIND $ids AS id
MATCH (i:Interaction {id: id})
RETURN properties(i) AS i
