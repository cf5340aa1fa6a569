// FalkorDB override: every stakeholder's id, kind and internal node id in one read, as one
// JSON text of three columns [[ids], [kinds], [node ids]] (the store sorts them by id).
// Keyset pages of rows cost ~2 s at 100k stakeholders here (each page sorts, and FalkorDB
// ships a reply value by value); one JSON text costs ~0.1 s. $after and $limit are not
// needed: it is one read. The node ids let the tie read name a tie's ends by number (see
// all_tie_columns); stakeholders are archived, never deleted, so a stakeholder's node id
// stays its own while it exists.
// FalkorDB's toJSON does not escape '"' or '\' inside strings, so while any id holds one
// of them the columns are sent as lists (slower, always right).
OPTIONAL MATCH (s:Stakeholder)
WHERE s.id CONTAINS '"' OR s.id CONTAINS '\\'
WITH count(s) = 0 AS safe
MATCH (n:Stakeholder)
WITH safe, [collect(n.id), collect(n.kind), collect(ID(n))] AS nodes
RETURN CASE WHEN safe THEN toJSON(nodes) ELSE nodes END AS nodes
