// Every customer organisation that is not archived, with what key-account scoring needs
// of its own properties (whole-network read for key accounts, DOMAIN.md §4), and the
// analyst's demand class for prospects.
MATCH (s:Stakeholder)
WHERE s.kind = 'CUSTOMER' AND s.form = 'ORGANIZATION' AND coalesce(s.archived, false) = false
RETURN s.id AS id, s.name AS name, s.tier AS tier, s.potential AS potential, s.margin AS margin,
       s.retention AS retention, s.influence_percentile AS influence_percentile, s.since AS since,
       s.price_sensitive AS price_sensitive, s.demand AS demand
