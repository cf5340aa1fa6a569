// Our employees: the EMPLOYEE persons who currently work for the organisation that is us
// (the default sources of introduction paths). Starts from the is_us index.
MATCH (us:Stakeholder {is_us: true})
MATCH (e:Stakeholder)-[w:WORKS_FOR]->(us)
WHERE w.ended_at IS NULL AND e.kind = 'EMPLOYEE' AND e.form = 'PERSON'
RETURN DISTINCT e.id AS id
ORDER BY id
