// The network version token (see GraphStore.network_version); no row before any write.
MATCH (v:NetworkVersion {id: 'network'})
RETURN v.token AS token
