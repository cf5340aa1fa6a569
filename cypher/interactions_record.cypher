// Record a batch of interactions and link each to its participants.
UNWIND $rows AS row
CREATE (i:Interaction)
SET i = row
WITH i, row
UNWIND row.participant_ids AS pid
MATCH (p:Stakeholder {id: pid})
CREATE (p)-[:PARTICIPATED]->(i)
RETURN count(DISTINCT i) AS n
