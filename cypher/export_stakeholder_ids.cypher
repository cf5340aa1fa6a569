// Every stakeholder id, for an export. relgraph.transfer.export sorts them (by code point,
// the same on both backends) and reads the stakeholders page by page through
// export_stakeholders. There is no `s.id > $after` keyset on purpose: FalkorDB answers a
// range on an indexed string from its index with wrong results (rows before the bound
// come back and rows after it are missed), and a projected key scans the label per page.
MATCH (s:Stakeholder)
RETURN s.id AS id
