// Write influence results back onto stakeholders, one positional row per stakeholder:
// [id, score, rank, percentile, brokerage, computed_at, version].
UNWIND $rows AS row
MATCH (s:Stakeholder {id: row[0]})
SET s.influence_score = row[1],
    s.influence_rank = row[2],
    s.influence_percentile = row[3],
    s.brokerage = row[4],
    s.influence_computed_at = row[5],
    s.influence_version = row[6]
RETURN count(s) AS n
