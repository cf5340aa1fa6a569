// Every account plan (overdue contacts). Whole-network read.
MATCH (p:AccountPlan)
RETURN properties(p) AS p
