// Move a complaint on, only from a status that may lead to the new one (compare-and-set).
MATCH (c:Complaint {id: $id})
WHERE c.status IN $from_statuses
SET c += $changes
RETURN properties(c) AS c
