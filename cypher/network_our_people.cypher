// Our side of the network: the company itself and everyone who works or worked for it
// (prospect demand signals count only contacts with us). Whole-network read.
MATCH (us:Stakeholder)
WHERE us.is_us = true
OPTIONAL MATCH (e:Stakeholder)-[:WORKS_FOR]->(us)
RETURN us.id AS us, collect(DISTINCT e.id) AS people
