// Competitors' ties to every customer organisation: TIEs between the organisation or its
// current people and a COMPETITOR stakeholder (an organisation, or a person counted for
// the competitor organisation it works for). Whole-network read (DOMAIN.md §5).
MATCH (org:Stakeholder)
WHERE org.kind = 'CUSTOMER' AND org.form = 'ORGANIZATION'
OPTIONAL MATCH (c:Stakeholder)-[w:WORKS_FOR]->(org)
WHERE w.ended_at IS NULL
WITH org, collect(c) AS people
UNWIND people + [org] AS side
MATCH (side)-[t:TIE]-(x:Stakeholder)
WHERE x.kind = 'COMPETITOR'
OPTIONAL MATCH (x)-[e:WORKS_FOR]->(comp:Stakeholder)
WHERE e.ended_at IS NULL AND comp.kind = 'COMPETITOR'
RETURN org.id AS org, coalesce(comp.id, x.id) AS competitor, startNode(t).id AS a, endNode(t).id AS b, properties(t) AS t
