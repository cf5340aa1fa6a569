// How many stakeholders a filter matches (totalCount), asked only when a client wants it.
MATCH (s:Stakeholder)
{{WHERE}}
RETURN count(s) AS n
