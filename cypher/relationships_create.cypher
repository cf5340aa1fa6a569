// Create a batch of new relationships of one type. Rows are positional lists,
// [id, from_id, to_id, started_at, created_at, role, note, ended_at, end_reason],
// because lists serialise far faster than maps for FalkorDB's parameter header.
UNWIND $rows AS row
MATCH (a:Stakeholder {id: row[1]})
MATCH (b:Stakeholder {id: row[2]})
CREATE (a)-[r:{{TYPE}} {id: row[0], started_at: row[3], created_at: row[4]}]->(b)
SET r.role = row[5], r.note = row[6], r.ended_at = row[7], r.end_reason = row[8]
RETURN count(r) AS n
