// What an organisation's strength with us is made of: the ties between our people and the
// organisation or its current people (level 'person'), and our own organisation-level tie
// with it, from orders and the like (level 'organization').
MATCH (org:Stakeholder {id: $org})
OPTIONAL MATCH (c:Stakeholder)-[w:WORKS_FOR]->(org)
WHERE w.ended_at IS NULL
WITH org, collect(c) AS people
UNWIND people + [org] AS side
MATCH (side)-[t:TIE]-(emp:Stakeholder)-[e:WORKS_FOR]->(:Stakeholder {is_us: true})
WHERE e.ended_at IS NULL
RETURN 'person' AS level, emp.id AS employee, side.id AS side, properties(t) AS t
UNION ALL
MATCH (us:Stakeholder {is_us: true})-[t:TIE]-(:Stakeholder {id: $org})
RETURN 'organization' AS level, us.id AS employee, $org AS side, properties(t) AS t
