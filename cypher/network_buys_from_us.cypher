// When each customer started buying from us (earliest BUYS_FROM to the is_us stakeholder):
// one source of tenure for key-account stability. Whole-network read.
MATCH (org:Stakeholder)-[r:BUYS_FROM]->(:Stakeholder {is_us: true})
RETURN org.id AS org, min(r.started_at) AS started
