// Drop network changes older than the retention (an index range on `at`).
MATCH (c:NetworkChange)
WHERE c.at < $before
DELETE c
