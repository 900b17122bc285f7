-- A profile's spend lines are found through its stays (PostgreSQL). Kept in step with
-- migrations/sqlite, which says why.
DROP INDEX spend_lines_guest;
