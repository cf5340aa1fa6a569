// The demo network loaded into this graph, if any: its seed, size and the moment its
// history ends (epoch ms), so that loading it again rewrites the same history.
MATCH (d:DemoNetwork {id: 'demo'})
RETURN d.seed AS seed, d.size AS size, d.as_of AS as_of
