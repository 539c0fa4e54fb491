-- The "rls" shape of bench/instructions.sh: the canonical fixture (bench/sql/fixture.sql)
-- under the membership policies of docs/postgrest.md, a member role that edits the bench
-- list as the JWT's user, and a membership for every other list too, each of another user
-- (as a tenant's table holds them). Runs after bench/sql/instructions_fixture.sql.
-- The runs set the role and the claims (bench/instructions.sh: as_member).
\set ON_ERROR_STOP on
SET client_min_messages = warning;
DROP ROLE IF EXISTS bench_member;
RESET client_min_messages;
CREATE ROLE bench_member;

CREATE FUNCTION bench.request_user_id() RETURNS text
LANGUAGE sql STABLE
RETURN nullif(current_setting('request.jwt.claims', true), '')::json ->> 'sub';

CREATE TABLE bench.list_members (
    list_id  uuid NOT NULL REFERENCES bench.lists (id) ON DELETE CASCADE,
    user_id  text NOT NULL,
    can_edit boolean NOT NULL DEFAULT true,
    PRIMARY KEY (list_id, user_id)
);
INSERT INTO bench.list_members (list_id, user_id)
SELECT l.id, CASE WHEN l.id = bench.id('10000000', 1) THEN 'member' ELSE 'user ' || l.id END
FROM bench.lists l;
ALTER TABLE bench.list_members ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_memberships ON bench.list_members FOR SELECT
    USING (user_id = (SELECT bench.request_user_id()));

CREATE POLICY members_read ON bench.lists FOR SELECT USING (EXISTS (
    SELECT FROM bench.list_members m WHERE m.list_id = lists.id AND m.user_id = (SELECT bench.request_user_id())));
CREATE POLICY members_read ON bench.list_columns FOR SELECT USING (EXISTS (
    SELECT FROM bench.list_members m
    WHERE m.list_id = list_columns.list_id AND m.user_id = (SELECT bench.request_user_id())));
CREATE POLICY members_read ON bench.list_companies FOR SELECT USING (EXISTS (
    SELECT FROM bench.list_members m
    WHERE m.list_id = list_companies.list_id AND m.user_id = (SELECT bench.request_user_id())));
CREATE POLICY members_read ON bench.list_company_cells FOR SELECT USING (EXISTS (
    SELECT FROM bench.list_members m
    WHERE m.list_id = list_company_cells.list_id AND m.user_id = (SELECT bench.request_user_id())));
CREATE POLICY editors_insert ON bench.list_company_cells FOR INSERT WITH CHECK (EXISTS (
    SELECT FROM bench.list_members m
    WHERE m.list_id = list_company_cells.list_id AND m.user_id = (SELECT bench.request_user_id()) AND m.can_edit));
CREATE POLICY editors_update ON bench.list_company_cells FOR UPDATE USING (EXISTS (
    SELECT FROM bench.list_members m
    WHERE m.list_id = list_company_cells.list_id AND m.user_id = (SELECT bench.request_user_id()) AND m.can_edit));
ALTER TABLE bench.lists ENABLE ROW LEVEL SECURITY;
ALTER TABLE bench.list_columns ENABLE ROW LEVEL SECURITY;
ALTER TABLE bench.list_companies ENABLE ROW LEVEL SECURITY;
ALTER TABLE bench.list_company_cells ENABLE ROW LEVEL SECURITY;

GRANT USAGE ON SCHEMA bench TO bench_member;
GRANT SELECT ON ALL TABLES IN SCHEMA bench TO bench_member;
GRANT INSERT, UPDATE ON bench.list_company_cells TO bench_member;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA bench TO bench_member;
ANALYZE bench.list_members;
