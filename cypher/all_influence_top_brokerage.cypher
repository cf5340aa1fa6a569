// The strongest brokers by their written-back brokerage (then rank), optionally of some
// kinds. A whole-label read on purpose, like `all_influence_top`.
MATCH (s:Stakeholder)
WHERE s.influence_rank IS NOT NULL AND ($kinds IS NULL OR s.kind IN $kinds)
RETURN s.id AS id, s.influence_score AS score, s.influence_rank AS rank,
       s.influence_percentile AS percentile, s.brokerage AS brokerage,
       s.influence_computed_at AS computed_at, s.influence_version AS version
ORDER BY coalesce(brokerage, 0.0) DESC, rank, id
LIMIT $limit
