// Set the plan of one account as a whole (one plan per account, keyed by the account).
MATCH (a:Stakeholder {id: $account_id})
MERGE (p:AccountPlan {id: $account_id})
SET p = $props
MERGE (p)-[:PLAN_FOR]->(a)
RETURN properties(p) AS p
