// How many stakeholders the graph holds; the demo loader's "is the store empty?" check.
// Both engines answer a count over one label without reading the nodes.
MATCH (s:Stakeholder)
RETURN count(s) AS n
