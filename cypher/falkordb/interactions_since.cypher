// FalkorDB override: the same rows as one JSON text in `json_rows`, which the runner
// unpacks (see network_customers: one text ships far faster than a row of values per
// interaction); strings are escaped because FalkorDB's toJSON leaves '"' and '\' as they are.
MATCH (i:Interaction)
WHERE i.at > $since
RETURN toJSON(collect({
  type: replace(replace(toString(i.type), '\\', '\\\\'), '"', '\\"'),
  at: i.at,
  initiator_id: replace(replace(toString(i.initiator_id), '\\', '\\\\'), '"', '\\"'),
  participant_ids: [p IN i.participant_ids | replace(replace(toString(p), '\\', '\\\\'), '"', '\\"')],
  sentiment: i.sentiment
})) AS json_rows
