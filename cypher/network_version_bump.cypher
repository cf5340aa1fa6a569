// Move the network version on: the last step of every write transaction. The lock is
// taken (SET) before the old token is read, so concurrent writers form one chain.
// Each step leaves a NetworkChange naming the pairs whose TIE it changed (`all_ties`
// when too many to name), so that cached tie snapshots can catch up by reading only
// those; changes older than the retention are pruned (network_changes_prune).
MERGE (v:NetworkVersion {id: 'network'})
SET v.locked_at = $at
WITH v, v.token AS prev
SET v.token = $token
CREATE (:NetworkChange {token: $token, prev: coalesce(prev, ''), at: $at, pairs_a: $pairs_a, pairs_b: $pairs_b, all_ties: $all_ties})
