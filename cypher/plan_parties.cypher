// Who an account plan names: each stakeholder's kind and form, and the customer
// organisations it currently works for (a customer's contact person is not an account of
// its own: its organisation is).
UNWIND $ids AS sid
MATCH (s:Stakeholder {id: sid})
OPTIONAL MATCH (s)-[w:WORKS_FOR]->(o:Stakeholder)
WHERE w.ended_at IS NULL AND o.kind = 'CUSTOMER' AND o.form = 'ORGANIZATION'
RETURN s.id AS id, s.kind AS kind, s.form AS form, collect(o.id) AS orgs
