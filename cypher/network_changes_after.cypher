// The change(s) that followed a version token (one, unless the chain forked).
MATCH (c:NetworkChange {prev: $token})
RETURN c.token AS token, c.pairs_a AS pairs_a, c.pairs_b AS pairs_b, c.all_ties AS all_ties
