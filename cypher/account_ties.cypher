// What organisations' strength with us is made of: the ties between our people and each
// organisation or its current people (level 'person'), and our own organisation-level tie
// with it, from orders and the like (level 'organization').
UNWIND $orgs AS oid
MATCH (org:Stakeholder {id: oid})
OPTIONAL MATCH (c:Stakeholder)-[w:WORKS_FOR]->(org)
WHERE w.ended_at IS NULL
WITH org, collect(c) AS people
UNWIND people + [org] AS side
MATCH (side)-[t:TIE]-(emp:Stakeholder)-[e:WORKS_FOR]->(:Stakeholder {is_us: true})
WHERE e.ended_at IS NULL
RETURN org.id AS org, 'person' AS level, emp.id AS employee, side.id AS side, properties(t) AS t
UNION ALL
UNWIND $orgs AS oid
MATCH (us:Stakeholder {is_us: true})-[t:TIE]-(:Stakeholder {id: oid})
RETURN oid AS org, 'organization' AS level, us.id AS employee, oid AS side, properties(t) AS t
