// FalkorDB override: the same rows as one JSON text in `json_rows`, which the runner
// unpacks (see network_customers: one text ships far faster than 100k rows of values);
// the id is escaped because FalkorDB's toJSON leaves '"' and '\' as they are.
MATCH (s:Stakeholder)-[:PARTICIPATED]->(i:Interaction)
WHERE i.type = 'ORDER' AND i.at <= $until AND s.kind = 'CUSTOMER'
WITH s.id AS id,
     sum(CASE WHEN i.at > $since THEN coalesce(i.value, 0.0) ELSE 0.0 END) AS revenue_window,
     sum(coalesce(i.value, 0.0)) AS revenue_total,
     count(i) AS orders_total
RETURN toJSON(collect({
  id: replace(replace(toString(id), '\\', '\\\\'), '"', '\\"'),
  revenue_window: revenue_window, revenue_total: revenue_total, orders_total: orders_total
})) AS json_rows
