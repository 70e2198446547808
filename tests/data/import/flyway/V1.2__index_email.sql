-- 1.2 before 1.10: Flyway orders versions part by part, as numbers
CREATE INDEX users_email ON users (email);
