// A partial update: only the given properties change.
MATCH (s:Stakeholder {id: $id})
SET s += $props
RETURN properties(s) AS s
