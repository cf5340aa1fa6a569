// FalkorDB override: the same eleven columns as one JSON text, for the pairs whose `a` is
// in part $part of $parts (internal node id modulo $parts; $lo and $hi are not used), with
// the ends `a` and `b` as internal node ids, which the store maps onto stakeholder ids
// through the node list (all_stakeholder_kinds). Numbers cost FalkorDB half what id
// strings cost to fetch and format, ship in fewer bytes, and map onto node indices with
// one array lookup instead of 2M dict lookups.
// FalkorDB ships a reply value by value; one text of JSON ships ~3x faster and parses in
// C (JSON keeps 15 significant digits of a float: 1e-15 relative, far inside the 1e-9 the
// strength model promises). Most of this read's time is FalkorDB evaluating and
// formatting 11M values on one thread per query, so the store reads several parts at
// once. With only numbers in it, the text needs no guard against ids JSON cannot carry.
// Only the two times that are absent for a one-sided tie are coalesced: every TIE writer
// sets the other seven, and each coalesce costs ~0.1 µs a value here. `collect` skips
// nulls, so a tie missing one of those seven would shorten its column; the store checks
// every column's length and rereads with the shared query (coalescing all) if one is short.
MATCH (a:Stakeholder)
WHERE ID(a) % $parts = $part
MATCH (a)-[t:TIE]->(b:Stakeholder)
RETURN toJSON([collect(ID(a)), collect(ID(b)),
               collect(t.i_ab), collect(coalesce(t.last_ab, $never)),
               collect(t.i_ba), collect(coalesce(t.last_ba, $never)),
               collect(t.first), collect(t.last),
               collect(t.count), collect(t.sentiment_sum),
               collect(t.sentiment_count)]) AS ties
