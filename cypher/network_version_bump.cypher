// Move the network version on: the last step of every write transaction.
MERGE (v:NetworkVersion {id: 'network'})
SET v.token = $token
