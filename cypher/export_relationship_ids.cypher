// Every relationship id of one type, for an export; relgraph.transfer joins one copy per type
// with UNION ALL (see export_stakeholder_ids for why there is no keyset on the id).
// The endpoints carry no label: with one, FalkorDB scans the label first.
MATCH ()-[r:{{TYPE}}]->()
RETURN r.id AS id, type(r) AS type
