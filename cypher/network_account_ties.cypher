// What every customer organisation's strength with us is made of (the whole-network form
// of account_ties.cypher): ties between our people and the organisation or its current
// people ('person'), and our own organisation-level tie with it ('organization').
// side is the account's end of the TIE; a and b are the TIE's ends (smaller id first), to wind its strength back in time.
MATCH (org:Stakeholder)
WHERE org.kind = 'CUSTOMER' AND org.form = 'ORGANIZATION'
OPTIONAL MATCH (c:Stakeholder)-[w:WORKS_FOR]->(org)
WHERE w.ended_at IS NULL
WITH org, collect(c) AS people
UNWIND people + [org] AS side
MATCH (side)-[t:TIE]-(emp:Stakeholder)-[e:WORKS_FOR]->(:Stakeholder {is_us: true})
WHERE e.ended_at IS NULL
RETURN org.id AS org, 'person' AS level, emp.id AS employee, side.id AS side, startNode(t).id AS a, endNode(t).id AS b, properties(t) AS t
UNION ALL
MATCH (us:Stakeholder {is_us: true})-[t:TIE]-(org:Stakeholder)
WHERE org.kind = 'CUSTOMER' AND org.form = 'ORGANIZATION'
RETURN org.id AS org, 'organization' AS level, us.id AS employee, org.id AS side, startNode(t).id AS a, endNode(t).id AS b, properties(t) AS t
