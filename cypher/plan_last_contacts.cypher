// The last contact by us with each of these accounts, up to $until (account plans): an
// interaction one of our people (the organisation that is us, or an EMPLOYEE person) took
// part in with the account itself or a person who worked for it then. Exchanges
// ($exchanges) count whoever started them; one-way messages ($outreach) only when our side
// started them (relgraph.scoring.care.is_contact). The sides are matched as nodes and the
// interaction end carries no label: else FalkorDB starts from a scan of every node.
UNWIND $ids AS aid
MATCH (a:Stakeholder {id: aid})
OPTIONAL MATCH (p:Stakeholder)-[:WORKS_FOR]->(a)
WITH a, collect(DISTINCT p) AS people
UNWIND people + [a] AS side
MATCH (side)-[:PARTICIPATED]->(i)
WHERE i.at <= $until AND (i.type IN $exchanges OR i.type IN $outreach)
OPTIONAL MATCH (side)-[w:WORKS_FOR]->(a)
WHERE w.ended_at IS NULL OR w.ended_at > i.at
WITH a, side, i, w
WHERE side.id = a.id OR w IS NOT NULL
MATCH (o:Stakeholder)-[:PARTICIPATED]->(i)
WHERE (o.is_us = true OR (o.kind = 'EMPLOYEE' AND o.form = 'PERSON'))
  AND (i.type IN $exchanges OR i.initiator_id = o.id)
RETURN a.id AS account, max(i.at) AS last
