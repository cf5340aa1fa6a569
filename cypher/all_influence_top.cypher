// The most influential stakeholders by their written-back rank, optionally of some kinds.
// A whole-label read on purpose (no index on the score): ranked lists are short and rare.
MATCH (s:Stakeholder)
WHERE s.influence_rank IS NOT NULL AND ($kinds IS NULL OR s.kind IN $kinds)
RETURN s.id AS id, s.influence_score AS score, s.influence_rank AS rank,
       s.influence_percentile AS percentile, s.brokerage AS brokerage,
       s.influence_computed_at AS computed_at, s.influence_version AS version
ORDER BY rank, score DESC, id
LIMIT $limit
