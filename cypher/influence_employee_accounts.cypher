// The organisations an employee has ties to: directly, or through a person who currently
// works for them (candidates for departure impact). Us is not an account.
MATCH (emp:Stakeholder {id: $id})-[:TIE]-(side:Stakeholder)
OPTIONAL MATCH (side)-[w:WORKS_FOR]->(org:Stakeholder)
WHERE w.ended_at IS NULL
WITH side, org
WITH CASE WHEN side.form = 'ORGANIZATION' THEN side ELSE org END AS account
WHERE account IS NOT NULL AND coalesce(account.is_us, false) = false
RETURN DISTINCT account.id AS id
ORDER BY id
