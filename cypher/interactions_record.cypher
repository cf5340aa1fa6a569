// Record a batch of interactions, link each to its participants, and fold the batch into
// the running strength (TIE) of every pair it touches: one atomic step on both backends.
// Rows are positional lists (they serialise far faster than maps for FalkorDB):
//   $rows:  [id, type, at, initiator_id, participant_ids, sentiment, value, subject, recorded_at]
//   $pairs: [a, b, i_ab, last_ab, i_ba, last_ba, first, last, count, sentiment_sum, sentiment_count]
// A TIE runs from the pair's smaller id to the larger one and holds, per direction, the
// decayed intensity anchored at that direction's last interaction. Folding a pair's batch
// state into it is the rule of relgraph.scoring.strength.merge; tests check the result
// against a full replay of the history on both backends.
UNWIND $rows AS row
CREATE (i:Interaction {id: row[0], type: row[1], at: row[2], initiator_id: row[3], participant_ids: row[4], recorded_at: row[8]})
SET i.sentiment = row[5], i.value = row[6], i.subject = row[7]
WITH i, row
UNWIND row[4] AS pid
MATCH (p:Stakeholder {id: pid})
CREATE (p)-[:PARTICIPATED]->(i)
WITH count(DISTINCT i) AS recorded
UNWIND $pairs AS pr
MATCH (a:Stakeholder {id: pr[0]})
MATCH (b:Stakeholder {id: pr[1]})
MERGE (a)-[t:TIE]->(b)
WITH t, pr, coalesce(t.i_ab, 0.0) AS i_ab, t.last_ab AS last_ab, coalesce(t.i_ba, 0.0) AS i_ba, t.last_ba AS last_ba
WITH t, pr,
  CASE
    WHEN pr[3] IS NULL THEN i_ab
    WHEN last_ab IS NULL THEN pr[2]
    WHEN pr[3] >= last_ab THEN i_ab * 2.0 ^ (toFloat(last_ab - pr[3]) / $half_life_ms) + pr[2]
    ELSE i_ab + pr[2] * 2.0 ^ (toFloat(pr[3] - last_ab) / $half_life_ms)
  END AS new_i_ab,
  CASE WHEN pr[3] IS NULL OR (last_ab IS NOT NULL AND last_ab >= pr[3]) THEN last_ab ELSE pr[3] END AS new_last_ab,
  CASE
    WHEN pr[5] IS NULL THEN i_ba
    WHEN last_ba IS NULL THEN pr[4]
    WHEN pr[5] >= last_ba THEN i_ba * 2.0 ^ (toFloat(last_ba - pr[5]) / $half_life_ms) + pr[4]
    ELSE i_ba + pr[4] * 2.0 ^ (toFloat(pr[5] - last_ba) / $half_life_ms)
  END AS new_i_ba,
  CASE WHEN pr[5] IS NULL OR (last_ba IS NOT NULL AND last_ba >= pr[5]) THEN last_ba ELSE pr[5] END AS new_last_ba,
  CASE WHEN t.first IS NULL OR pr[6] < t.first THEN pr[6] ELSE t.first END AS new_first,
  CASE WHEN t.last IS NULL OR pr[7] > t.last THEN pr[7] ELSE t.last END AS new_last
SET t.i_ab = new_i_ab, t.last_ab = new_last_ab, t.i_ba = new_i_ba, t.last_ba = new_last_ba,
    t.first = new_first, t.last = new_last,
    t.count = coalesce(t.count, 0) + pr[8],
    t.sentiment_sum = coalesce(t.sentiment_sum, 0.0) + pr[9],
    t.sentiment_count = coalesce(t.sentiment_count, 0) + pr[10]
RETURN count(t) AS n
