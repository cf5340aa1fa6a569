// Record the demo network just loaded (see network_demo).
MERGE (d:DemoNetwork {id: 'demo'})
SET d.seed = $seed, d.size = $size, d.as_of = $as_of
