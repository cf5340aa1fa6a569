// One page of an export: the interactions with these ids (index seeks on the id).
UNWIND $ids AS id
MATCH (i:Interaction {id: id})
RETURN properties(i) AS i
