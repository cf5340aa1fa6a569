// Stakeholders that are not archived, counted by kind and tier (network summary).
MATCH (s:Stakeholder)
WHERE coalesce(s.archived, false) = false
RETURN s.kind AS kind, s.tier AS tier, count(s) AS n
