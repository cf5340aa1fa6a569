// Which of these ids are relationships of this type already (upserts by id).
UNWIND $ids AS id
MATCH ()-[r:{{TYPE}} {id: id}]->()
RETURN id
