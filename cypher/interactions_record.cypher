// Record a batch of interactions and link each to its participants. Rows are positional:
// [id, type, at, initiator_id, participant_ids, sentiment, value, subject, recorded_at].
UNWIND $rows AS row
CREATE (i:Interaction {id: row[0], type: row[1], at: row[2], initiator_id: row[3], participant_ids: row[4], recorded_at: row[8]})
SET i.sentiment = row[5], i.value = row[6], i.subject = row[7]
WITH i, row
UNWIND row[4] AS pid
MATCH (p:Stakeholder {id: pid})
CREATE (p)-[:PARTICIPATED]->(i)
RETURN count(DISTINCT i) AS n
