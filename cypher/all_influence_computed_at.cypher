// When influence was last written back (null: never), for the staleness check.
MATCH (s:Stakeholder)
WHERE s.influence_computed_at IS NOT NULL
RETURN max(s.influence_computed_at) AS at
