// Set many account plans as wholes (one plan per account, keyed by the account).
UNWIND $rows AS row
MATCH (a:Stakeholder {id: row.account_id})
MERGE (p:AccountPlan {id: row.account_id})
SET p = row.props
MERGE (p)-[:PLAN_FOR]->(a)
RETURN count(p) AS n
