// FalkorDB override: the same rows as one JSON text in `json_rows`, which the runner
// unpacks (FalkorRunner: a reply is shipped value by value, ~2.5 µs each here; one JSON
// text of 100k customers ships and parses in ~1 s instead of ~2.8 s). FalkorDB's toJSON
// leaves '"' and '\' inside strings as they are, so every string is escaped first
// (toString also makes a non-string that an import stored there a string).
MATCH (s:Stakeholder)
WHERE s.kind = 'CUSTOMER' AND s.form = 'ORGANIZATION' AND coalesce(s.archived, false) = false
RETURN toJSON(collect({
  id: replace(replace(toString(s.id), '\\', '\\\\'), '"', '\\"'),
  name: replace(replace(toString(s.name), '\\', '\\\\'), '"', '\\"'),
  tier: replace(replace(toString(s.tier), '\\', '\\\\'), '"', '\\"'),
  potential: s.potential, margin: s.margin, retention: s.retention,
  influence_percentile: s.influence_percentile, since: s.since, price_sensitive: s.price_sensitive,
  demand: replace(replace(toString(s.demand), '\\', '\\\\'), '"', '\\"')
})) AS json_rows
