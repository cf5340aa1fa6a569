// Which of these interaction ids are recorded already (idempotent retries).
UNWIND $ids AS id
MATCH (i:Interaction {id: id})
RETURN id
