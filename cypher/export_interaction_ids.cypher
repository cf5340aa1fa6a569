// Every interaction id, for an export (see export_stakeholder_ids for why there is no
// keyset on the id).
MATCH (i:Interaction)
RETURN i.id AS id
