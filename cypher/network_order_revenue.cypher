// Revenue per customer (organisation or person) from ORDER interactions up to $until:
// the trailing window after $since, the total, and the number of orders up to $until
// (whole-network read, DOMAIN.md §4).
MATCH (s:Stakeholder)-[:PARTICIPATED]->(i:Interaction)
WHERE i.type = 'ORDER' AND i.at <= $until AND s.kind = 'CUSTOMER'
RETURN s.id AS id,
       sum(CASE WHEN i.at > $since THEN coalesce(i.value, 0.0) ELSE 0.0 END) AS revenue_window,
       sum(coalesce(i.value, 0.0)) AS revenue_total,
       count(i) AS orders_total
