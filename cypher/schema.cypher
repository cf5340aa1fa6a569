// Neo4j schema: unique ids and lookup indexes, idempotent through IF NOT EXISTS.
CREATE CONSTRAINT stakeholder_id IF NOT EXISTS FOR (n:Stakeholder) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT interaction_id IF NOT EXISTS FOR (n:Interaction) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT complaint_id IF NOT EXISTS FOR (n:Complaint) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT account_plan_id IF NOT EXISTS FOR (n:AccountPlan) REQUIRE n.id IS UNIQUE;
CREATE INDEX stakeholder_kind IF NOT EXISTS FOR (n:Stakeholder) ON (n.kind);
CREATE INDEX stakeholder_name_key IF NOT EXISTS FOR (n:Stakeholder) ON (n.name_key);
CREATE INDEX stakeholder_is_us IF NOT EXISTS FOR (n:Stakeholder) ON (n.is_us);
CREATE TEXT INDEX stakeholder_name_text IF NOT EXISTS FOR (n:Stakeholder) ON (n.name_key);
CREATE INDEX interaction_at IF NOT EXISTS FOR (n:Interaction) ON (n.at);
CREATE INDEX complaint_status IF NOT EXISTS FOR (n:Complaint) ON (n.status);
CREATE INDEX complaint_category IF NOT EXISTS FOR (n:Complaint) ON (n.category);
CREATE INDEX relationship_id_{{TYPE}} IF NOT EXISTS FOR ()-[r:{{TYPE}}]-() ON (r.id);
CREATE CONSTRAINT network_version_id IF NOT EXISTS FOR (n:NetworkVersion) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT strength_rule_id IF NOT EXISTS FOR (n:StrengthRule) REQUIRE n.id IS UNIQUE;
CREATE INDEX network_change_prev IF NOT EXISTS FOR (n:NetworkChange) ON (n.prev);
CREATE INDEX network_change_at IF NOT EXISTS FOR (n:NetworkChange) ON (n.at);
