// The interactions of these organisations and of their people who had not left by
// $until, in ($since, $until]: a prospect's demand signals (DOMAIN.md §4, seed 001 step 2).
// The organisation is matched first, on its own, and the interaction end carries no label:
// else FalkorDB starts from an index over all interactions.
UNWIND $ids AS oid
MATCH (org:Stakeholder {id: oid})
OPTIONAL MATCH (c:Stakeholder)-[w:WORKS_FOR]->(org)
WHERE w.ended_at IS NULL OR w.ended_at > $until
WITH org, collect(c) AS people
UNWIND people + [org] AS side
MATCH (side)-[:PARTICIPATED]->(i)
WHERE i.at > $since AND i.at <= $until
RETURN org.id AS org, side.id AS side, i.id AS id, i.type AS type, i.at AS at,
       i.initiator_id AS initiator_id, i.participant_ids AS participant_ids
