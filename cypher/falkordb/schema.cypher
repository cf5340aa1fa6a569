// FalkorDB override: no IF NOT EXISTS (the runner ignores "already indexed"), and unique
// constraints are GRAPH.CONSTRAINT commands, written here as CONSTRAINT UNIQUE lines.
// A unique constraint needs an index on the same property first.
CREATE INDEX FOR (n:Stakeholder) ON (n.id);
CREATE INDEX FOR (n:Stakeholder) ON (n.kind);
CREATE INDEX FOR (n:Stakeholder) ON (n.name_key);
CREATE INDEX FOR (n:Stakeholder) ON (n.is_us);
CREATE INDEX FOR (n:Interaction) ON (n.id);
CREATE INDEX FOR (n:Interaction) ON (n.at);
CREATE INDEX FOR (n:Complaint) ON (n.id);
CREATE INDEX FOR (n:Complaint) ON (n.status);
CREATE INDEX FOR (n:Complaint) ON (n.category);
CREATE INDEX FOR (n:AccountPlan) ON (n.id);
CONSTRAINT UNIQUE Stakeholder id;
CONSTRAINT UNIQUE Interaction id;
CONSTRAINT UNIQUE Complaint id;
CONSTRAINT UNIQUE AccountPlan id;
CREATE INDEX FOR ()-[r:{{TYPE}}]-() ON (r.id);
CREATE INDEX FOR (n:NetworkChange) ON (n.prev);
CREATE INDEX FOR (n:NetworkChange) ON (n.at);
CREATE INDEX FOR (n:StrengthRule) ON (n.id);
