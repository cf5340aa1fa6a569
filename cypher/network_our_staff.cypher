// Our staff, for every account: the organisations that are us, and whoever currently works
// for one of them (the employees whose ties roll up into account strength).
MATCH (us:Stakeholder {is_us: true})
OPTIONAL MATCH (emp:Stakeholder)-[e:WORKS_FOR]->(us)
WHERE e.ended_at IS NULL
RETURN us.id AS us, collect(emp.id) AS staff
