// Our suppliers (SUPPLIER organisations, not archived) with our spend on each: the value of
// the ORDERs it took part in and did not start (we ordered from it) in ($since, $until],
// and whether it supplied us at $until. Suppliers with neither are left out. The
// supplier's industry is its category (suppliers of one industry can stand in for each
// other). Whole-network read for supplier dependency (issue 6 §2).
MATCH (sup:Stakeholder)
WHERE sup.kind = 'SUPPLIER' AND sup.form = 'ORGANIZATION' AND coalesce(sup.archived, false) = false
OPTIONAL MATCH (sup)-[r:SUPPLIES]->(us:Stakeholder)
WHERE us.is_us = true AND coalesce(r.started_at, 0) <= $until AND (r.ended_at IS NULL OR r.ended_at > $until)
WITH sup, count(r) AS supplying
OPTIONAL MATCH (sup)-[:PARTICIPATED]->(i)
WHERE i.type = 'ORDER' AND i.at > $since AND i.at <= $until AND i.initiator_id <> sup.id
WITH sup, supplying, sum(coalesce(i.value, 0.0)) AS spend, count(i) AS orders
WHERE supplying > 0 OR orders > 0
RETURN sup.id AS id, sup.name AS name, sup.industry AS category, spend, orders, supplying > 0 AS active
