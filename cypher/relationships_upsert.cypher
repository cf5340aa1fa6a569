// Update a batch of existing relationships of one type by id (imports re-run).
UNWIND $rows AS row
MATCH ()-[r:{{TYPE}} {id: row[0]}]->()
SET r.started_at = row[3], r.role = row[5], r.note = row[6], r.ended_at = row[7], r.end_reason = row[8]
RETURN count(r) AS n
