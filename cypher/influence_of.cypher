// The written-back influence of some stakeholders (null properties before the first refresh).
UNWIND $ids AS id
MATCH (s:Stakeholder {id: id})
RETURN s.id AS id, s.influence_score AS score, s.influence_rank AS rank,
       s.influence_percentile AS percentile, s.brokerage AS brokerage,
       s.influence_computed_at AS computed_at, s.influence_version AS version
