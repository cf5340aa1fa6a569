// The current people of every customer organisation: whose ties count towards its
// strength with us and its competitors' strength with it (joined with the tie snapshot
// in services/account_network.py). Whole-network read (DOMAIN.md §4, §5).
MATCH (c:Stakeholder)-[w:WORKS_FOR]->(org:Stakeholder)
WHERE org.kind = 'CUSTOMER' AND org.form = 'ORGANIZATION' AND w.ended_at IS NULL
RETURN c.id AS person, org.id AS org
