// Which of these ids are relationships of this type already (upserts by id).
// The variable is not called `id`: with `{id: id}` Neo4j 5.26 plans a relationship
// index scan and a filter instead of a seek.
UNWIND $ids AS rid
MATCH ()-[r:{{TYPE}} {id: rid}]->()
RETURN rid AS id
