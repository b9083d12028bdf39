"""The database: where it is, its schema and migrations, the DB-API store, PostgreSQL's own rules, files written safely."""
