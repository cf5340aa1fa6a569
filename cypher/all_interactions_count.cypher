// How many interactions the graph holds (part of the influence projection's fingerprint).
MATCH (i:Interaction)
RETURN count(i) AS n
