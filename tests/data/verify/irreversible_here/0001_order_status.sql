-- Order statuses.  On PostgreSQL an enum type, from which no value can be
-- dropped once rows use it: the down is marked irreversible there.  On
-- SQLite a CHECK constraint, which the generic down takes away.
-- godwit:up
CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('new', 'paid'))
);

-- godwit:up backend=postgres
CREATE TYPE order_status AS ENUM ('new', 'paid');
CREATE TABLE orders (id BIGINT PRIMARY KEY, status order_status NOT NULL);

-- godwit:down
DROP TABLE orders;

-- godwit:down backend=postgres irreversible
