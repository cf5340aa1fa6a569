// The version of the strength rule the stored running states (TIE) were built under
// (relgraph.scoring.strength.STRENGTH_RULE_VERSION); no row before the first stamp.
MATCH (r:StrengthRule {id: 'strength'})
RETURN r.version AS version
