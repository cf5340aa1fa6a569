// The plans of these accounts.
UNWIND $ids AS id
MATCH (p:AccountPlan {id: id})
RETURN properties(p) AS p
