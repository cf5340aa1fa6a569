// Write influence results back onto stakeholders, one positional row per stakeholder:
// [id, score, rank, percentile, brokerage]; the time and the version are the same for
// every row of a refresh, so they travel once ($at, $version) instead of 100k times.
UNWIND $rows AS row
MATCH (s:Stakeholder {id: row[0]})
SET s.influence_score = row[1],
    s.influence_rank = row[2],
    s.influence_percentile = row[3],
    s.brokerage = row[4],
    s.influence_computed_at = $at,
    s.influence_version = $version
RETURN count(s) AS n
