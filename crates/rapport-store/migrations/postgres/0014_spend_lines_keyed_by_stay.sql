-- Spend lines are keyed by their stay (PostgreSQL). Kept in step with migrations/sqlite.
--
-- Every read and write reaches spend lines through their stay (a profile's spend, a
-- merge moving a stay's lines, the triggers); none looks one up by its id alone. Yet each
-- line went into two indexes: its primary key on `id`, and `spend_lines_stay`. One
-- primary key on `(stay_id, id)` does both jobs. Measured on the bench import (a million
-- bookings, two million lines), dropping the second index took 20.7 and 20.5 s against
-- 22.2 and 21.3 s for the whole import (alternated). Ids still come from the identity
-- column and still order a stay's lines.
ALTER TABLE spend_lines DROP CONSTRAINT spend_lines_pkey;
ALTER TABLE spend_lines ADD PRIMARY KEY (stay_id, id);
DROP INDEX spend_lines_stay;
